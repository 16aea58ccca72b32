/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replays a fuzz target's corpus without libFuzzer: every file named, or every file in
 * every folder named, goes once through LLVMFuzzerTestOneInput. TAP output, one line per
 * folder or file; a crash or sanitizer report fails the test as it would the fuzzer. */
#include "config.h"

#include <stdio.h>

#include <glib.h>

#include "payam-fuzz.h"

static guint
replay_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return 0;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  guint failed = 0;

  g_print ("1..%d\n", argc - 1);
  for (int i = 1; i < argc; i++)
    {
      guint replayed = 0;
      guint expected = 0;

      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *path = g_build_filename (argv[i], name, NULL);

              expected++;
              replayed += replay_file (path);
            }
        }
      else
        {
          expected = 1;
          replayed = replay_file (argv[i]);
        }
      /* An empty corpus replays nothing and proves nothing. */
      if (replayed == expected && replayed > 0)
        g_print ("ok %d - %s: %u inputs\n", i, argv[i], replayed);
      else
        {
          g_print ("not ok %d - %s: %u of %u inputs read\n", i, argv[i], replayed, expected);
          failed++;
        }
    }
  return failed == 0 ? 0 : 1;
}
