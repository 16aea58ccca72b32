/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the payamctl command files share: the command signature, exit codes and helpers. */
#pragma once

#include <stdio.h>

#include <glib.h>

#include "payam-store.h"

G_BEGIN_DECLS

/* Exit statuses: success, a failure the message explains, a usage error. */
#define CTL_EXIT_OK      0
#define CTL_EXIT_FAILURE 1
#define CTL_EXIT_USAGE   2

/* What every command gets: the database path chosen by the global options and the
 * command's own arguments, argv[0] being the command name. */
typedef struct {
  const char *db_path;
  int         argc;
  char      **argv;
} CtlContext;

typedef int (*CtlCommandFunc) (CtlContext *ctx);

int         ctl_cmd_init          (CtlContext  *ctx);
int         ctl_cmd_import        (CtlContext  *ctx);
/* import's work: every line of @input registered in the caller's transaction; the count,
 * or -1 after printing "line N: reason". *@store_made is set when a line asks for it. */
gint64      ctl_import_lines      (PayamStore  *store,
                                   FILE        *input,
                                   gboolean    *store_made);
int         ctl_cmd_export        (CtlContext  *ctx);
int         ctl_cmd_show          (CtlContext  *ctx);
int         ctl_cmd_stats         (CtlContext  *ctx);
/* Duplicate detection (payamctl-similarity.c, payamctl-similar.c). */
int         ctl_cmd_similarity    (CtlContext  *ctx);
int         ctl_cmd_similar       (CtlContext  *ctx);
/* The office server's devices (payamctl-devices.c) and enrolment (payamctl-enrol.c). */
int         ctl_cmd_enrol_code    (CtlContext  *ctx);
int         ctl_cmd_devices       (CtlContext  *ctx);
int         ctl_cmd_revoke        (CtlContext  *ctx);
int         ctl_cmd_enrol         (CtlContext  *ctx);
/* One sync round with the office server (payamctl-sync.c). */
int         ctl_cmd_sync          (CtlContext  *ctx);
/* Duplicate groups (payamctl-groups.c). */
int         ctl_cmd_group         (CtlContext  *ctx);
int         ctl_cmd_groups        (CtlContext  *ctx);
int         ctl_cmd_merge         (CtlContext  *ctx);
int         ctl_cmd_split         (CtlContext  *ctx);
int         ctl_cmd_lead          (CtlContext  *ctx);
int         ctl_cmd_confirm       (CtlContext  *ctx);
int         ctl_cmd_worksheet     (CtlContext  *ctx);
int         ctl_cmd_timeline      (CtlContext  *ctx);
/* Crews, members and assignment (payamctl-crews.c). */
int         ctl_cmd_crew          (CtlContext  *ctx);
int         ctl_cmd_assign        (CtlContext  *ctx);
int         ctl_cmd_triage        (CtlContext  *ctx);
/* The office's search and staff accounts (payamctl-office.c). */
int         ctl_cmd_search        (CtlContext  *ctx);
int         ctl_cmd_staff         (CtlContext  *ctx);
int         ctl_cmd_reopen        (CtlContext  *ctx);
/* Feedback coverage (payamctl-coverage.c). */
int         ctl_cmd_coverage      (CtlContext  *ctx);
/* The monthly report as PDF (payamctl-report.c). */
int         ctl_cmd_report        (CtlContext  *ctx);
/* Open311 api keys of the office server (payamctl-open311.c). */
int         ctl_cmd_open311_key   (CtlContext  *ctx);

/* Parse the command's options; on --help print it and set *exit_status to 0, on a bad
 * option print the usage error and set it to CTL_EXIT_USAGE. Returns FALSE in both cases,
 * meaning the command must return *exit_status at once. */
gboolean    ctl_parse_options     (GOptionContext *context,
                                   CtlContext     *ctx,
                                   int            *exit_status);

/* Open the existing database of @ctx (an error, not a new empty file, when it is missing)
 * with the actor set to "payamctl". Prints the error and returns NULL on failure. */
PayamStore *ctl_open_store        (CtlContext  *ctx);

/* Print "payamctl: MESSAGE" on stderr. */
void        ctl_print_error       (const char  *message);
/* Print a usage error and a hint to run the command with --help on stderr. */
void        ctl_print_usage_error (const char  *command,
                                   const char  *message);

/* TRUE when the translation in use asks for Persian digits (see payamctl.c). */
gboolean    ctl_persian_digits    (void);
/* Numbers for people: grouped Persian digits when the output is Persian, plain ASCII
 * digits otherwise. Caller owns the result. */
char       *ctl_format_number     (gint64       value);
char       *ctl_format_integer    (gint64       value);
/* The translated label of a priority ("urgent" … "normal"). */

/* @when as ISO 8601 in UTC ("2026-11-29T14:30:00Z"), or NULL when @when is NULL. */
char       *ctl_format_utc        (GDateTime   *when);

G_END_DECLS
