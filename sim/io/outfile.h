/* sim/io/outfile.h - checked output files of the results folder: open,
 * close and path building that turn every stdio or errno failure into
 * SIM_EIO with a diag naming the file ("cannot write file: No space left
 * on device").
 * Units:   paths are NUL-terminated, at most OUTFILE_PATH_MAX bytes.
 * Owns:    outfile_open/outfile_create return a FILE the caller closes
 *          with outfile_close.
 * Errors:  0 / SIM_EIO with d set; helpers returning errno values say so.
 * Threads: no globals; strerror_r (XSI) so worker threads closing their
 *          part writers do not share a buffer. */
#ifndef SIM_OUTFILE_H
#define SIM_OUTFILE_H

#include "sim/engine/common.h"

#include <jansson.h>
#include <stdio.h>

/* Longest path the results writers build (folders plus file names). */
#define OUTFILE_PATH_MAX 4096

/* Record errno (or EIO when a stdio call failed without setting it) in
 * *err unless an earlier error is already recorded. */
void outfile_keep_errno(int *err);

/* Set d to SIM_EIO for path with "what: strerror(e)" (e an errno value);
 * returns SIM_EIO. */
int outfile_fail(struct diag *d, const char *path, const char *what, int e);

/* Concatenate a and b into buf (size n). Returns 0 or ENAMETOOLONG (an
 * errno value, not a SIM_E* code) when buf is too small. */
int outfile_join(char *buf, size_t n, const char *a, const char *b);

/* Build "<dir>/<name>" into buf (size n). Returns 0, or SIM_EIO with d
 * set ("cannot create file: File name too long") when buf is too small. */
int outfile_path(char *buf, size_t n, const char *dir, const char *name,
                 struct diag *d);

/* Open path for writing ("w"). Returns the stream, or NULL with d set
 * ("cannot create file: ..."). */
FILE *outfile_open(const char *path, struct diag *d);

/* Create file `name` in folder dir for writing; its path goes to path
 * (size n). Returns the stream, or NULL with d set when the path is too
 * long or the file cannot be created. */
FILE *outfile_create(const char *dir, const char *name, char *path,
                     size_t n, struct diag *d);

/* Close fp (from outfile_open/outfile_create) and turn any error seen
 * while writing (err, an errno value or 0; ferror) or closing into
 * SIM_EIO ("cannot write file: ..."). Returns 0 or SIM_EIO; fp is closed
 * in every case. */
int outfile_close(FILE *fp, const char *path, int err, struct diag *d);

/* Write JSON document root to path (json_dumpf flags, then a newline)
 * through a checked stream: a full disk is SIM_EIO with strerror, never a
 * short file. Returns 0 or SIM_EIO with d set. */
int outfile_write_json(const char *path, const json_t *root, size_t flags,
                       struct diag *d);

#endif
