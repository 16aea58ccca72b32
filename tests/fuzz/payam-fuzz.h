/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The libFuzzer entry point every fuzz target defines, for the targets and the replayer. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
