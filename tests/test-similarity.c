/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder for the similarity tests: being written. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

static void
pending (void **state)
{
  skip ();
}

int
main (void)
{
  const struct CMUnitTest tests[] = { cmocka_unit_test (pending) };
  return cmocka_run_group_tests_name ("similarity", tests, NULL, NULL);
}
