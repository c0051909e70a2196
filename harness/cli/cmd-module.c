// SPDX-License-Identifier: GPL-2.0
/* Load and unload xenbounce.ko with libkmod. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "core/status.h"
#include "core/util.h"
#include "evidence/env.h"
#include "evidence/xen.h"
#include "kmod/include/uapi/xenbounce.h"
#include "userspace/pattern.h"
#include "userspace/xbdev.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: xenbounce module load [PATH.ko [PARAM=VALUE...]] | unload | status | fuzz COUNT [SEED]\n"
		"load: insert the module (default: xenbounce from the module path), with\n"
		"      parameters such as edu_dma_bits=64.\n"
		"unload: remove it; it gives back every swiotlb slot and page it holds.\n"
		"fuzz COUNT [SEED]: COUNT operations over every module file from 4\n"
		"      processes at once: valid keywords (from each file's \"commands:\"\n"
		"      line) with random and boundary arguments, garbage, split writes,\n"
		"      pool_data at its edges, reads of every file. Exit 0 when the module\n"
		"      still answers.\n");
}

/*
 * The module fuzz. Valid keywords (read from each file's "commands:" line)
 * followed by random and boundary arguments: overflowing, negative and huge
 * numbers, missing and extra fields, junk words; raw garbage and oversized
 * writes; writes split across two write(2) calls; pool_data at and past
 * its end; reads of every file, 0400 ones included. WORKERS processes at
 * once. The module must survive it and still answer; which writes it
 * accepts is its business (valid ones are meant to be).
 */
enum { FZ_MAX_VERBS = 16, FZ_MAX_ARGS = 6, FZ_WORKERS = 4 };

struct fz_verb {
	char word[32];			/* "alloc", "free=", or "" (the command is its arguments) */
	char args[FZ_MAX_ARGS][48];	/* "N", "to_device|from_device", "[SEED]" */
	int nargs;
};

struct fz_file {
	const char *name;
	struct fz_verb verbs[FZ_MAX_VERBS];
	int nverbs;
};

/* Parse "commands: alloc N | shuffle SEED | unshuffle | free" (the first line with it). */
static void fz_parse(struct fz_file *f, const char *text)
{
	const char *p = text ? strstr(text, "commands:") : NULL;
	char line[512], *alt, *next;
	size_t n;

	f->nverbs = 0;
	if (!p)
		return;
	p += strlen("commands:");
	n = strcspn(p, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, p, n);
	line[n] = '\0';
	for (alt = line; alt && f->nverbs < FZ_MAX_VERBS; alt = next) {
		struct fz_verb *v = &f->verbs[f->nverbs++];
		char *tok, *save = NULL;
		int first = 1;

		next = strstr(alt, " | ");
		if (next) {
			*next = '\0';
			next += 3;
		}
		memset(v, 0, sizeof(*v));
		for (tok = strtok_r(alt, " ", &save); tok; tok = strtok_r(NULL, " ", &save), first = 0) {
			char *eq = strchr(tok, '=');

			if (first && (islower((unsigned char)tok[0]) || tok[0] == '_')) {
				if (!eq || !eq[1]) {
					snprintf(v->word, sizeof(v->word), "%s", tok);
					continue;
				}
				snprintf(v->word, sizeof(v->word), "%.*s", (int)(eq - tok + 1), tok);	/* "free=N" */
				tok = eq + 1;
			}
			if (v->nargs < FZ_MAX_ARGS)
				snprintf(v->args[v->nargs++], sizeof(v->args[0]), "%s", tok);
		}
	}
}

static const char *const fz_numbers[] = {
	"0", "1", "2", "3", "-1", "-0", "+1", "0x", "0x10", "010", "1e3", "7f", " ", "",
	"127", "128", "255", "1023", "1024", "1025", "2047", "4095", "4096", "4097", "65536",
	"262144", "262145", "4194304", "4194305", "16777216", "16777217", "1000000", "1000001",
	"2147483647", "2147483648", "4294967295", "4294967296", "9223372036854775807",
	"9223372036854775808", "18446744073709551615", "18446744073709551616",
	"-18446744073709551615", "99999999999999999999999999999999",
};

static int fz_number(char *out, size_t len, uint64_t *rng)
{
	uint64_t r = xb_rand_next(rng);

	switch (r % 4) {
	case 0:
		return snprintf(out, len, "%llu", (unsigned long long)xb_rand_next(rng));
	case 1:
		return snprintf(out, len, "%llu", (unsigned long long)(xb_rand_next(rng) % 65));
	default:
		return snprintf(out, len, "%s", fz_numbers[xb_rand_next(rng) % XB_ARRAY_SIZE(fz_numbers)]);
	}
}

/* One command for f: a valid keyword with random and boundary arguments. */
static size_t fz_command(const struct fz_file *f, char *buf, size_t len, uint64_t *rng)
{
	const struct fz_verb *v = &f->verbs[xb_rand_next(rng) % (uint64_t)f->nverbs];
	uint64_t shape = xb_rand_next(rng);
	size_t n = (size_t)snprintf(buf, len, "%s", v->word);
	int nargs = v->nargs;

	if (shape % 10 == 0 && nargs)
		nargs--;		/* a missing field */
	for (int i = 0; i < nargs + (shape % 10 == 1) && n < len; i++) {
		const char *a = i < v->nargs ? v->args[i] : "N";
		const char *sep = (n == 0 || (i == 0 && v->word[0] && v->word[strlen(v->word) - 1] == '=')) ? "" : " ";

		n += (size_t)snprintf(buf + n, len - n, "%s", sep);
		if (n >= len)
			break;
		if (strchr(a, '|') && xb_rand_next(rng) % 8) {
			/* a choice: one of them */
			char choices[48], *save = NULL, *c;
			uint64_t k = xb_rand_next(rng) % 4;

			snprintf(choices, sizeof(choices), "%s", a);
			c = strtok_r(choices, "|", &save);
			for (; k && c; k--) {
				char *next = strtok_r(NULL, "|", &save);

				if (!next)
					break;
				c = next;
			}
			n += (size_t)snprintf(buf + n, len - n, "%s", c ? c : "");
		} else if (xb_rand_next(rng) % 16 == 0) {
			n += (size_t)snprintf(buf + n, len - n, "junk%llu", (unsigned long long)(xb_rand_next(rng) % 100));
		} else {
			char num[64];

			fz_number(num, sizeof(num), rng);
			n += (size_t)snprintf(buf + n, len - n, "%s", num);
		}
	}
	if (shape % 10 == 2 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " extra");
	if (shape % 16 == 3 && n < len)
		n += (size_t)snprintf(buf + n, len - n, "\n");
	return n < len ? n : len - 1;
}

static int fz_open(const char *name, int flags)
{
	char path[512];

	if (xb_path(path, sizeof(path), "%s/%s", xb_debugfs_dir(), name))
		return -1;
	return open(path, flags | O_CLOEXEC);
}

struct fz_counts {
	unsigned long writes, keyword_writes, accepted, reads, split;
};

static void fz_worker(struct fz_file *files, size_t nfiles, unsigned long count, int w, uint64_t seed,
		      struct fz_counts *c)
{
	uint64_t rng = seed * 7919 + (uint64_t)w + 1;
	char buf[4200];

	for (unsigned long i = (unsigned long)w; i < count; i += FZ_WORKERS) {
		struct fz_file *f = &files[xb_rand_next(&rng) % nfiles];
		uint64_t r = xb_rand_next(&rng);
		size_t len;
		int fd;

		if (r % 8 == 0) {	/* read a file, to the end */
			fd = fz_open(f->name, O_RDONLY);
			if (fd >= 0) {
				while (read(fd, buf, 1 + xb_rand_next(&rng) % sizeof(buf)) > 0)
					;
				close(fd);
				c->reads++;
			}
			continue;
		}
		if (!strcmp(f->name, XB_FILE_POOL_DATA)) {
			static const long long offs[] = { 0, 1, 4095, 4096, 8191, 8192, 65536, 4194304, 4194303 };
			long long off = (r & 16) ? offs[xb_rand_next(&rng) % XB_ARRAY_SIZE(offs)]
						 : (long long)(xb_rand_next(&rng) % (5 << 20));

			len = 1 + xb_rand_next(&rng) % sizeof(buf);
			memset(buf, (int)(r >> 8), len);
			fd = fz_open(f->name, O_RDWR);
			if (fd < 0)
				continue;
			if (r & 32) {
				if (pwrite(fd, buf, len, off) >= 0)
					c->accepted++;
				c->writes++;
			} else {
				(void)!pread(fd, buf, len, off);
				c->reads++;
			}
			close(fd);
			continue;
		}
		if (r % 8 == 1 || !f->nverbs) {
			/* garbage: random bytes or printable junk, sometimes oversized */
			len = (r & 64) ? 129 + r % 4000 : 1 + r % 120;
			for (size_t k = 0; k < len; k++) {
				uint64_t b = xb_rand_next(&rng);

				buf[k] = (r & 128) ? (char)(' ' + b % 95) : (char)b;
			}
		} else {
			len = fz_command(f, buf, XB_CMD_MAX + 16, &rng);
			c->keyword_writes++;
			if (getenv("XENBOUNCE_FUZZ_ECHO"))	/* see what it sends */
				fprintf(stderr, "%s: %.*s\n", f->name, (int)len, buf);
		}
		fd = fz_open(f->name, O_RDWR);
		if (fd < 0)
			fd = fz_open(f->name, O_WRONLY);
		if (fd < 0)
			continue;
		c->writes++;
		if (r % 8 == 2 && len > 1) {	/* split across two writes */
			size_t half = 1 + xb_rand_next(&rng) % (len - 1);

			c->split++;
			if (write(fd, buf, half) >= 0 && write(fd, buf + half, len - half) >= 0)
				c->accepted++;
		} else if (write(fd, buf, len) >= 0) {
			c->accepted++;
		}
		if (r % 8 == 3)
			while (read(fd, buf, sizeof(buf)) > 0)
				;
		close(fd);
	}
}

static int fuzz(unsigned long count, uint64_t seed)
{
	static const char *const names[] = {
		XB_FILE_POOL, XB_FILE_POOL_DATA, XB_FILE_SCRAMBLE, XB_FILE_RESERVE, XB_FILE_TTM,
		XB_FILE_BOUNCE_LOG, XB_FILE_EDU, XB_FILE_BENCH, XB_FILE_STATUS, XB_FILE_BOUNCE_STATS,
		XB_FILE_CONFIG, XB_FILE_DMAAPI,
	};
	struct fz_file files[XB_ARRAY_SIZE(names)];
	struct fz_counts total = { 0 }, *shared;
	int status, bad = 0, nkw = 0;
	char *st;

	for (size_t i = 0; i < XB_ARRAY_SIZE(names); i++) {
		char *text = xb_dev_read(names[i]);

		files[i].name = names[i];
		fz_parse(&files[i], text);
		nkw += files[i].nverbs;
		free(text);
	}
	shared = mmap(NULL, sizeof(*shared) * FZ_WORKERS, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return 1;
	memset(shared, 0, sizeof(*shared) * FZ_WORKERS);
	for (int w = 0; w < FZ_WORKERS; w++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid)
			continue;
		fz_worker(files, XB_ARRAY_SIZE(files), count, w, seed, &shared[w]);
		_exit(0);
	}
	for (int w = 0; w < FZ_WORKERS; w++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			bad = 1;
	for (int w = 0; w < FZ_WORKERS; w++) {
		total.writes += shared[w].writes;
		total.keyword_writes += shared[w].keyword_writes;
		total.accepted += shared[w].accepted;
		total.reads += shared[w].reads;
		total.split += shared[w].split;
	}
	munmap(shared, sizeof(*shared) * FZ_WORKERS);
	st = xb_dev_read(XB_FILE_STATUS);
	printf("fuzz: %lu operations: %lu writes (%lu with one of %d valid keywords, %lu split in two), "
	       "%lu accepted, %lu reads; module %s\n", count, total.writes, total.keyword_writes, nkw,
	       total.split, total.accepted, total.reads, st ? "answers" : "does not answer");
	bad |= !st || !nkw;
	free(st);
	return bad;
}

/*
 * Tell the module whether Xen itself reports an active IOMMU (physinfo's
 * directio): it refuses DMA that relies on one (edu first_page, raw_phys
 * under Xen PV) until told so. Not a Xen dom0: nothing to confirm.
 */
static void confirm_iommu(void)
{
	int active = xb_xen_iommu_active();

	if (active < 0)
		return;
	if (xb_dev_cmd(XB_FILE_CONFIG, XB_CONFIG_IOMMU_CONFIRMED " %d", active))
		fprintf(stderr, "xenbounce module: could not write %s to %s\n", XB_CONFIG_IOMMU_CONFIRMED,
			XB_FILE_CONFIG);
}

static int module_main(int argc, char *argv[])
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = NULL;
	int ret, code = 1;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		help(argc < 2 ? stderr : stdout);
		return argc < 2 ? XB_EXIT_USAGE : 0;
	}
	ctx = kmod_new(NULL, NULL);
	if (!ctx) {
		fprintf(stderr, "xenbounce module: could not create libkmod context\n");
		return 1;
	}
	if (!strcmp(argv[1], "load")) {
		char params[1024] = "";
		size_t off = 0;

		for (int i = 3; i < argc; i++) {
			int n = snprintf(params + off, sizeof(params) - off, "%s%s", i > 3 ? " " : "", argv[i]);

			if (n < 0 || (size_t)n >= sizeof(params) - off || !strchr(argv[i], '=')) {
				fprintf(stderr, "xenbounce module: bad parameter '%s' (PARAM=VALUE)\n", argv[i]);
				code = XB_EXIT_USAGE;
				goto out;
			}
			off += (size_t)n;
		}
		ret = argc >= 3 ? kmod_module_new_from_path(ctx, argv[2], &mod)
				: kmod_module_new_from_name(ctx, "xenbounce", &mod);
		if (ret) {
			fprintf(stderr, "xenbounce module: could not find %s: %s\n",
				argc == 3 ? argv[2] : "xenbounce", strerror(-ret));
			goto out;
		}
		ret = kmod_module_insert_module(mod, 0, params[0] ? params : NULL);
		if (ret == -EEXIST) {
			code = 0;
		} else if (ret) {
			fprintf(stderr, "xenbounce module: could not load %s: %s\n",
				kmod_module_get_path(mod) ? kmod_module_get_path(mod) : "xenbounce",
				strerror(-ret));
		} else {
			code = 0;
		}
		if (!code)
			confirm_iommu();
	} else if (!strcmp(argv[1], "unload") && argc == 2) {
		ret = kmod_module_new_from_name(ctx, "xenbounce", &mod);
		if (!ret)
			ret = kmod_module_remove_module(mod, 0);
		if (ret && ret != -ENOENT)
			fprintf(stderr, "xenbounce module: could not unload xenbounce: %s\n", strerror(-ret));
		else
			code = 0;
	} else if (!strcmp(argv[1], "fuzz") && (argc == 3 || argc == 4)) {
		uint64_t count, seed = 1;

		if (xb_parse_u64(argv[2], 1, 100000000, &count) ||
		    (argc == 4 && xb_parse_u64(argv[3], 0, UINT64_MAX, &seed))) {
			fprintf(stderr, "xenbounce module fuzz: COUNT (1-100000000) [SEED]\n");
			code = XB_EXIT_USAGE;
			goto out;
		}
		code = fuzz((unsigned long)count, seed);
	} else if (!strcmp(argv[1], "status") && argc == 2) {
		ret = kmod_module_new_from_name(ctx, "xenbounce", &mod);
		if (!ret) {
			int st = kmod_module_get_initstate(mod);

			printf("xenbounce: %s\n", st < 0 ? "not loaded" : kmod_module_initstate_str(st));
			code = st < 0 ? 1 : 0;
		}
	} else {
		help(stderr);
		code = XB_EXIT_USAGE;
	}
out:
	if (mod)
		kmod_module_unref(mod);
	kmod_unref(ctx);
	return code;
}

const struct xb_cmd xb_cmd_module = { "module", module_main, "load, unload or check xenbounce.ko (libkmod)" };
