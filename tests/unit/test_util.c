// SPDX-License-Identifier: GPL-2.0
/* core/util.c: xb_json_string_lossy(). */
#include "unit.h"

#include "core/util.h"

/* The string xb_json_string_lossy(in) holds, compared with want. */
static void lossy_is(const char *in, const char *want)
{
	json_t *j = xb_json_string_lossy(in);

	if (!j)
		fail_msg("NULL for \"%s\"", want);
	if (strcmp(json_string_value(j), want))
		fail_msg("got \"%s\", want \"%s\"", json_string_value(j), want);
	json_decref(j);
}

static void test_lossy_valid(void **state)
{
	static const char *const valid[] = {
		"",
		"plain ASCII, a tab\tand a \\x41 that was already text",
		"caf\xc3\xa9",			/* U+00E9, two bytes */
		"\xdf\xbf",			/* U+07FF, the last two-byte one */
		"\xe0\xa0\x80",			/* U+0800, the first three-byte one */
		"\xed\x9f\xbf \xee\x80\x80",	/* U+D7FF and U+E000, either side of the surrogates */
		"\xef\xbf\xbd",			/* U+FFFD */
		"\xf0\x90\x80\x80",		/* U+10000, the first four-byte one */
		"\xf4\x8f\xbf\xbf",		/* U+10FFFF, the last */
		"\x01\x1f\x7f",			/* control characters are UTF-8 (JSON escapes them) */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(*valid); i++)
		lossy_is(valid[i], valid[i]);
	assert_null(xb_json_string_lossy(NULL));
}

static void test_lossy_invalid(void **state)
{
	static const char *const cases[][2] = {
		{ "caf\xe9", "caf\\xe9" },				/* Latin-1 */
		{ "\x80 \xbf", "\\x80 \\xbf" },				/* lone continuation bytes */
		{ "\xc0\xaf", "\\xc0\\xaf" },				/* overlong '/', two bytes */
		{ "\xc1\xbf", "\\xc1\\xbf" },
		{ "\xe0\x80\xaf", "\\xe0\\x80\\xaf" },			/* overlong, three bytes */
		{ "\xe0\x9f\xbf", "\\xe0\\x9f\\xbf" },
		{ "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf" },		/* overlong, four bytes */
		{ "\xf0\x8f\xbf\xbf", "\\xf0\\x8f\\xbf\\xbf" },
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },			/* U+D800, a surrogate */
		{ "\xed\xbf\xbf", "\\xed\\xbf\\xbf" },			/* U+DFFF */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },		/* U+110000 */
		{ "\xf5\x80\x80\x80 \xfe\xff", "\\xf5\\x80\\x80\\x80 \\xfe\\xff" },
		{ "end \xe2\x82", "end \\xe2\\x82" },			/* truncated at the end */
		{ "\xe2\x82" "a \xf0\x9f\x98", "\\xe2\\x82" "a \\xf0\\x9f\\x98" }, /* and before more text */
		{ "\xc3", "\\xc3" },
		/* The good sequences around a bad byte are kept. */
		{ "\xc3\xa9\xff\xe2\x82\xac", "\xc3\xa9\\xff\xe2\x82\xac" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		lossy_is(cases[i][0], cases[i][1]);
}

/* A long run of bad bytes: each one four characters, nothing cut. */
static void test_lossy_long(void **state)
{
	char in[2001], want[8001];

	(void)state;
	memset(in, 0xff, sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	for (size_t i = 0; i < sizeof(in) - 1; i++)
		memcpy(want + 4 * i, "\\xff", 4);
	want[sizeof(want) - 1] = '\0';
	lossy_is(in, want);
}

/*
 * Against jansson itself, on random bytes: the helper never returns NULL,
 * leaves exactly the strings json_string() accepts unchanged, and changes
 * every string it refuses.
 */
/* The same escaping into a fixed buffer (scenario descriptions), cut at a character boundary. */
static void test_escape_fits(void **state)
{
	char buf[12];

	(void)state;
	assert_string_equal(xb_utf8_escape(buf, sizeof(buf), "caf\xe9 \xc3\xa9"), "caf\\xe9 \xc3\xa9");
	/* "ab" + \xff needs 6 bytes and the NUL: cut before the escape, never inside it. */
	assert_string_equal(xb_utf8_escape(buf, 6, "ab\xff"), "ab");
	assert_string_equal(xb_utf8_escape(buf, 4, "a\xc3\xa9"), "a\xc3\xa9");
	assert_string_equal(xb_utf8_escape(buf, 3, "a\xc3\xa9"), "a");
}

static void test_lossy_matches_jansson(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t changed = 0, same = 0;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		char s[12];
		size_t n = 1 + (size_t)(round % (sizeof(s) - 1));
		json_t *strict, *lossy;

		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Mostly high bytes, so that some strings are valid UTF-8 by chance. */
			s[i] = (char)(x % 3 ? 0x80 + (x >> 8) % 0x78 : 1 + (x >> 8) % 0x7f);
		}
		s[n] = '\0';
		strict = json_string(s);
		lossy = xb_json_string_lossy(s);
		assert_non_null(lossy);
		if (strict) {
			assert_string_equal(json_string_value(lossy), s);
			same++;
		} else {
			assert_string_not_equal(json_string_value(lossy), s);
			changed++;
		}
		json_decref(strict);
		json_decref(lossy);
	}
	/* Both sides were exercised. */
	assert_true(same > 100 && changed > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lossy_valid),
		cmocka_unit_test(test_lossy_invalid),
		cmocka_unit_test(test_lossy_long),
		cmocka_unit_test(test_lossy_matches_jansson),
		cmocka_unit_test(test_escape_fits),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
