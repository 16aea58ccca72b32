/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text similarity of short Persian messages (being written for issue #4). */
#pragma once

#include <glib.h>
