/*
 * Reads one string out of a small JSON document: the key files and endpoint files a dealreg cluster writes
 * (`DATA/keys/ID.key`, `DATA/registry/endpoints.json`). Not a general JSON library: it walks the document only as
 * far as the value asked for, refuses anything malformed on the way, and never writes past the buffer it is given.
 * Pure functions of their arguments; safe from any thread.
 */
#ifndef DEALREG_JSON_LOOKUP_H
#define DEALREG_JSON_LOOKUP_H

#include <stddef.h>

/*
 * Finds the string value at `path` (object keys from the outermost object inward, `depth` of them) in the
 * `length` bytes of `text`, decodes its escapes (`\/`, `\"`, `\uXXXX` with surrogate pairs) into UTF-8 and
 * writes it, NUL-terminated, to `out`. Returns 0 on success; -1 when the document is malformed before the value,
 * the path is absent, the value is not a string, it contains a NUL, or it does not fit in `capacity` bytes.
 */
int json_string_at(const char *text, size_t length, const char *const path[], size_t depth, char *out,
                   size_t capacity);

#endif
