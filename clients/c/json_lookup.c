#include "json_lookup.h"

#include <stdint.h>
#include <string.h>

/* Where the walk is in the document. */
typedef struct {
    const char *next;
    const char *end;
} Cursor;

/* Nesting deeper than this is refused: the files read here are two levels deep, and a bound keeps a hostile file
 * from exhausting the stack. */
enum { maximum_nesting = 32 };

static void skip_whitespace(Cursor *cursor) {
    while (cursor->next < cursor->end &&
           (*cursor->next == ' ' || *cursor->next == '\t' || *cursor->next == '\n' || *cursor->next == '\r')) {
        cursor->next++;
    }
}

static int consume(Cursor *cursor, char expected) {
    skip_whitespace(cursor);
    if (cursor->next >= cursor->end || *cursor->next != expected) return -1;
    cursor->next++;
    return 0;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits after `\u`. */
static int read_code_unit(Cursor *cursor, uint32_t *unit) {
    if (cursor->end - cursor->next < 4) return -1;
    *unit = 0;
    for (int i = 0; i < 4; i++) {
        int digit = hex_digit(cursor->next[i]);
        if (digit < 0) return -1;
        *unit = *unit << 4 | (uint32_t)digit;
    }
    cursor->next += 4;
    return 0;
}

/* Appends one byte to `out` when there is one (a skipped string has none), keeping room for the NUL. */
static int append(char *out, size_t capacity, size_t *used, uint32_t byte) {
    if (out == NULL) return 0;
    if (*used + 1 >= capacity) return -1;
    out[(*used)++] = (char)byte;
    return 0;
}

static int append_utf8(char *out, size_t capacity, size_t *used, uint32_t scalar) {
    if (scalar < 0x80) return append(out, capacity, used, scalar);
    if (scalar < 0x800) {
        return append(out, capacity, used, 0xC0 | scalar >> 6) || append(out, capacity, used, 0x80 | (scalar & 0x3F));
    }
    if (scalar < 0x10000) {
        return append(out, capacity, used, 0xE0 | scalar >> 12) ||
               append(out, capacity, used, 0x80 | (scalar >> 6 & 0x3F)) ||
               append(out, capacity, used, 0x80 | (scalar & 0x3F));
    }
    return append(out, capacity, used, 0xF0 | scalar >> 18) ||
           append(out, capacity, used, 0x80 | (scalar >> 12 & 0x3F)) ||
           append(out, capacity, used, 0x80 | (scalar >> 6 & 0x3F)) ||
           append(out, capacity, used, 0x80 | (scalar & 0x3F));
}

/* The escape after a backslash, decoded into `out`. */
static int read_escape(Cursor *cursor, char *out, size_t capacity, size_t *used) {
    if (cursor->next >= cursor->end) return -1;
    char escaped = *cursor->next++;
    switch (escaped) {
    case '"': case '\\': case '/': return append(out, capacity, used, (uint32_t)escaped);
    case 'b': return append(out, capacity, used, '\b');
    case 'f': return append(out, capacity, used, '\f');
    case 'n': return append(out, capacity, used, '\n');
    case 'r': return append(out, capacity, used, '\r');
    case 't': return append(out, capacity, used, '\t');
    case 'u': break;
    default: return -1;
    }
    uint32_t unit;
    if (read_code_unit(cursor, &unit) != 0) return -1;
    // A NUL would cut the C string short and make a different key or endpoint than the file says.
    if (unit == 0) return -1;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return -1;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
        uint32_t low;
        if (cursor->end - cursor->next < 2 || cursor->next[0] != '\\' || cursor->next[1] != 'u') return -1;
        cursor->next += 2;
        if (read_code_unit(cursor, &low) != 0 || low < 0xDC00 || low > 0xDFFF) return -1;
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    return append_utf8(out, capacity, used, unit);
}

/* A string at the cursor, decoded into `out` (NUL-terminated), or only checked when `out` is NULL. */
static int read_string(Cursor *cursor, char *out, size_t capacity) {
    if (consume(cursor, '"') != 0) return -1;
    size_t used = 0;
    for (;;) {
        if (cursor->next >= cursor->end) return -1;
        unsigned char c = (unsigned char)*cursor->next++;
        if (c == '"') break;
        if (c < 0x20) return -1;
        int failed = c == '\\' ? read_escape(cursor, out, capacity, &used) : append(out, capacity, &used, c);
        if (failed) return -1;
    }
    if (out != NULL) out[used] = '\0';
    return 0;
}

static int skip_value(Cursor *cursor, int nesting);

/* The members or elements of an object or array, after its opening bracket. */
static int skip_container(Cursor *cursor, char closing, int nesting) {
    skip_whitespace(cursor);
    if (cursor->next < cursor->end && *cursor->next == closing) {
        cursor->next++;
        return 0;
    }
    for (;;) {
        if (closing == '}' && (read_string(cursor, NULL, 0) != 0 || consume(cursor, ':') != 0)) return -1;
        if (skip_value(cursor, nesting + 1) != 0) return -1;
        skip_whitespace(cursor);
        if (cursor->next >= cursor->end) return -1;
        char separator = *cursor->next++;
        if (separator == closing) return 0;
        if (separator != ',') return -1;
    }
}

/* A number, `true`, `false` or `null`: the characters they may contain, checked loosely since they are skipped. */
static int skip_scalar(Cursor *cursor) {
    const char *start = cursor->next;
    while (cursor->next < cursor->end && strchr("0123456789+-.eEtruefalsn", *cursor->next) != NULL) cursor->next++;
    return cursor->next > start ? 0 : -1;
}

static int skip_value(Cursor *cursor, int nesting) {
    if (nesting > maximum_nesting) return -1;
    skip_whitespace(cursor);
    if (cursor->next >= cursor->end) return -1;
    switch (*cursor->next) {
    case '"': return read_string(cursor, NULL, 0);
    case '{': cursor->next++; return skip_container(cursor, '}', nesting);
    case '[': cursor->next++; return skip_container(cursor, ']', nesting);
    default: return skip_scalar(cursor);
    }
}

/* Keys longer than this cannot be on the path, so they are only skipped. */
enum { longest_key = 128 };

static int find(Cursor *cursor, const char *const path[], size_t depth, char *out, size_t capacity) {
    if (depth == 0) return read_string(cursor, out, capacity);
    if (consume(cursor, '{') != 0) return -1;
    skip_whitespace(cursor);
    if (cursor->next < cursor->end && *cursor->next == '}') return -1;
    for (;;) {
        char key[longest_key + 1];
        Cursor before_key = *cursor;
        if (read_string(cursor, key, sizeof key) != 0) {
            *cursor = before_key;
            if (read_string(cursor, NULL, 0) != 0) return -1;
            key[0] = '\0';
        }
        if (consume(cursor, ':') != 0) return -1;
        if (strcmp(key, path[0]) == 0) return find(cursor, path + 1, depth - 1, out, capacity);
        if (skip_value(cursor, 1) != 0) return -1;
        skip_whitespace(cursor);
        if (cursor->next >= cursor->end) return -1;
        char separator = *cursor->next++;
        if (separator == '}') return -1;
        if (separator != ',') return -1;
    }
}

int json_string_at(const char *text, size_t length, const char *const path[], size_t depth, char *out,
                   size_t capacity) {
    if (capacity == 0) return -1;
    Cursor cursor = {text, text + length};
    out[0] = '\0';
    if (find(&cursor, path, depth, out, capacity) != 0) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}
