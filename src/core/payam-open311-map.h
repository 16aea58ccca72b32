/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 GeoReport v2 (issue #15): how Payam's lifecycle, categories and danger questions
 * read as the specification's status, services and attributes. GTK- and libsoup-free. */
#pragma once

#include "payam-category.h"
#include "payam-priority.h"
#include "payam-types.h"

G_BEGIN_DECLS

#define PAYAM_OPEN311_ERROR (payam_open311_error_quark ())

typedef enum {
  PAYAM_OPEN311_ERROR_INVALID, /* a parameter the specification defines has a bad value */
} PayamOpen311Error;

GQuark payam_open311_error_quark (void);

/* The most requests one GET requests answer holds, and how many when page_size is absent. */
#define PAYAM_OPEN311_MAX_PAGE_SIZE     1000
#define PAYAM_OPEN311_DEFAULT_PAGE_SIZE 100

/* One question a category asks (an Open311 attribute of datatype singlevaluelist, values
 * "true" and "false"). Static. */
typedef struct {
  const char *code;        /* "danger_to_people", "blocks_road", "utilities" */
  const char *description; /* the kiosk's question, untranslated: pass it through gettext */
  guint       order;       /* 1 … */
} PayamOpen311Attribute;

/* "open" for statuses that are open work (registered … in_progress), "closed" for the
 * outcomes (done, not_possible, rejected, notified, closed). Static. */
const char *payam_open311_status_of          (PayamStatus            status);
/* Parse a status filter: "open", "closed" or a comma list of both. Sets *@want_open and
 * *@want_closed; FALSE with PAYAM_OPEN311_ERROR_INVALID (translated) for anything else. */
gboolean    payam_open311_parse_status       (const char            *text,
                                              gboolean              *want_open,
                                              gboolean              *want_closed,
                                              GError               **error);

/* The questions every category asks (the kiosk's danger check), in order; *@n_out is set
 * to their number. Static. */
const PayamOpen311Attribute *payam_open311_attributes (guint      *n_out);
/* TRUE when @category has questions, i.e. its service is listed with metadata=true. */
gboolean    payam_open311_service_has_metadata (const PayamCategory *category);
/* The service description of @category: its guidance to citizens, or its name. */
const char *payam_open311_service_description (const PayamCategory *category);

/* Fill @out from the attribute[CODE]=VALUE pairs of a POST (@attributes maps CODE to
 * VALUE; may be NULL). Values "true"/"false" (also "yes"/"no", "1"/"0" and «بله»/«خیر»).
 * An unknown code or value gives PAYAM_OPEN311_ERROR_INVALID naming it; all-FALSE when a
 * question is not answered (the kiosk's "not asked"). */
gboolean    payam_open311_answers_from_attributes (GHashTable          *attributes,
                                                   PayamHazardAnswers  *out,
                                                   GError             **error);
/* The answer of @answers to the question @code (one of payam_open311_attributes()). */
gboolean    payam_open311_answer_of          (const PayamHazardAnswers *answers,
                                              const char               *code);

G_END_DECLS
