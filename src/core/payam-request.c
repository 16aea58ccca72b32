/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRequest: copying and freeing a stored request. */
#define G_LOG_DOMAIN "payam-request"
#include "config.h"

#include "payam-request.h"

/* A deep copy of @request (NULL gives NULL); free with payam_request_free(). */
PayamRequest *
payam_request_copy (const PayamRequest *request)
{
  PayamRequest *copy;

  if (request == NULL)
    return NULL;

  copy = g_new (PayamRequest, 1);
  *copy = *request;
  copy->id = g_strdup (request->id);
  copy->tracking_code = g_strdup (request->tracking_code);
  copy->category = g_strdup (request->category);
  copy->text = g_strdup (request->text);
  copy->text_norm = g_strdup (request->text_norm);
  copy->neighbourhood = g_strdup (request->neighbourhood);
  copy->street = g_strdup (request->street);
  copy->landmark = g_strdup (request->landmark);
  copy->status_reason = g_strdup (request->status_reason);
  copy->group_id = g_strdup (request->group_id);
  copy->created_at = request->created_at != NULL ? g_date_time_ref (request->created_at) : NULL;
  copy->due_at = request->due_at != NULL ? g_date_time_ref (request->due_at) : NULL;
  copy->updated_at = request->updated_at != NULL ? g_date_time_ref (request->updated_at) : NULL;
  copy->phone = g_strdup (request->phone);
  copy->name = g_strdup (request->name);
  return copy;
}

void
payam_request_free (PayamRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->id);
  g_free (request->tracking_code);
  g_free (request->category);
  g_free (request->text);
  g_free (request->text_norm);
  g_free (request->neighbourhood);
  g_free (request->street);
  g_free (request->landmark);
  g_free (request->status_reason);
  g_free (request->group_id);
  g_clear_pointer (&request->created_at, g_date_time_unref);
  g_clear_pointer (&request->due_at, g_date_time_unref);
  g_clear_pointer (&request->updated_at, g_date_time_unref);
  g_free (request->phone);
  g_free (request->name);
  g_free (request);
}
