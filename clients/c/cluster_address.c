#include "cluster_address.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "json_lookup.h"

/* Key and endpoint files are a few hundred bytes; anything this large is not one. */
enum { largest_file = 64 * 1024 };

static int fail(char error[error_size], const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(error, error_size, format, arguments);
    va_end(arguments);
    return -1;
}

/* Formats into `out`, refusing (rather than cutting) a result that does not fit. */
static int format_into(char *out, size_t capacity, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    int written = vsnprintf(out, capacity, format, arguments);
    va_end(arguments);
    return written >= 0 && (size_t)written < capacity ? 0 : -1;
}

static const char *environment(const char *name) {
    const char *value = getenv(name);
    return value != NULL && value[0] != '\0' ? value : NULL;
}

/* `--data`, else `DEALREG_DATA`, else `~/.dealreg`, as the command line decides it. */
static int data_directory(const ClusterFlags *flags, char out[address_size], char error[error_size]) {
    const char *chosen = flags->data != NULL ? flags->data : environment("DEALREG_DATA");
    if (chosen != NULL) {
        if (format_into(out, address_size, "%s", chosen) != 0) return fail(error, "The data folder path is too long.");
        return 0;
    }
    const char *home = environment("HOME");
    if (home == NULL) {
        struct passwd *user = getpwuid(getuid());
        home = user != NULL ? user->pw_dir : NULL;
    }
    if (home == NULL) return fail(error, "No data folder: pass --data DIR or set DEALREG_DATA.");
    if (format_into(out, address_size, "%s/.dealreg", home) != 0) {
        return fail(error, "The data folder path is too long.");
    }
    return 0;
}

/* The whole of a small file, NUL-terminated; -1 with `errno` set, or EFBIG when it is too large to be ours. */
static int read_small_file(const char *path, char buffer[largest_file + 1], size_t *length) {
    int descriptor = open(path, O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return -1;
    *length = 0;
    for (;;) {
        ssize_t got = read(descriptor, buffer + *length, largest_file + 1 - *length);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int saved = errno;
            close(descriptor);
            errno = saved;
            return -1;
        }
        if (got == 0) break;
        *length += (size_t)got;
        if (*length > largest_file) {
            close(descriptor);
            errno = EFBIG;
            return -1;
        }
    }
    close(descriptor);
    buffer[*length] = '\0';
    return 0;
}

/* Whether `text` is a Z85 CURVE key: 40 characters that decode to 32 bytes. */
static int is_curve_key(const char *text, uint8_t decoded[32]) {
    return strlen(text) == 40 && zmq_z85_decode(decoded, text) != NULL;
}

/* A party id names a file in the keystore, so it must not climb out of it. */
static int is_plain_id(const char *id) {
    return id[0] != '\0' && id[0] != '.' && strchr(id, '/') == NULL && strlen(id) <= 128;
}

static int keystore_path(const ClusterFlags *flags, char path[address_size], char error[error_size]) {
    if (flags->key_file != NULL) {
        if (format_into(path, address_size, "%s", flags->key_file) != 0) {
            return fail(error, "The key path is too long.");
        }
        return 0;
    }
    if (flags->principal == NULL) {
        return fail(error, "Say who you are: --as ID (its key is in DATA/keys/ID.key) or --key FILE.");
    }
    if (!is_plain_id(flags->principal)) return fail(error, "'%s' is not a party id.", flags->principal);
    char data[address_size];
    if (data_directory(flags, data, error) != 0) return -1;
    if (format_into(path, address_size, "%s/keys/%s.key", data, flags->principal) != 0) {
        return fail(error, "The key path is too long.");
    }
    return 0;
}

int principal_load(const ClusterFlags *flags, Principal *principal, char error[error_size]) {
    char path[address_size];
    if (keystore_path(flags, path, error) != 0) return -1;
    static char text[largest_file + 1];
    size_t length;
    if (read_small_file(path, text, &length) != 0) {
        if (errno == ENOENT && flags->key_file == NULL) {
            return fail(error, "No key for '%s' in the keystore (%s).", flags->principal, path);
        }
        return fail(error, "The key file %s cannot be used: %s.", path,
                    errno == EFBIG ? "it is too large to be a key file" : strerror(errno));
    }
    const char *id_path[] = {"id"}, *kind_path[] = {"kind"};
    const char *public_path[] = {"public_key"}, *secret_path[] = {"secret_key"};
    if (json_string_at(text, length, id_path, 1, principal->id, sizeof principal->id) != 0 ||
        json_string_at(text, length, kind_path, 1, principal->kind, sizeof principal->kind) != 0 ||
        json_string_at(text, length, public_path, 1, principal->public_key, sizeof principal->public_key) != 0 ||
        json_string_at(text, length, secret_path, 1, principal->secret_key, sizeof principal->secret_key) != 0) {
        return fail(error,
                    "The key file %s cannot be used: it is not a dealreg key file (id, kind, public_key, "
                    "secret_key).",
                    path);
    }
    uint8_t secret[32];
    char derived_text[z85_key_size];
    // The same check as the Swift keystore: a truncated or edited file must not pass for a usable identity.
    if (!is_curve_key(principal->secret_key, secret) ||
        zmq_curve_public(derived_text, principal->secret_key) != 0 ||
        strcmp(derived_text, principal->public_key) != 0) {
        memset(secret, 0, sizeof secret);
        return fail(error, "The key file %s cannot be used: its keys do not form a CURVE key pair.", path);
    }
    memset(secret, 0, sizeof secret);
    if (flags->principal != NULL && flags->key_file != NULL && strcmp(flags->principal, principal->id) != 0) {
        return fail(error, "The key file %s belongs to '%s', not to '%s'.", path, principal->id, flags->principal);
    }
    return 0;
}

/* `tcp://0.0.0.0:7400` → `tcp://127.0.0.1:7400`: a wildcard bind is reached on loopback locally. */
static int connectable(const char *endpoint, char out[address_size]) {
    static const struct {
        const char *wildcard;
        const char *loopback;
    } replacements[] = {{"//0.0.0.0:", "//127.0.0.1:"}, {"//*:", "//127.0.0.1:"}, {"//[::]:", "//[::1]:"}};
    for (size_t i = 0; i < sizeof replacements / sizeof replacements[0]; i++) {
        const char *found = strstr(endpoint, replacements[i].wildcard);
        if (found == NULL) continue;
        return format_into(out, address_size, "%.*s%s%s", (int)(found - endpoint), endpoint,
                           replacements[i].loopback, found + strlen(replacements[i].wildcard));
    }
    return format_into(out, address_size, "%s", endpoint);
}

/* The value for one endpoint: the override when given, else the file's (made connectable), else empty. */
static int choose_endpoint(const char *override, const char *text, size_t length, const char *socket_name,
                           char out[address_size]) {
    if (override != NULL) return format_into(out, address_size, "%s", override);
    out[0] = '\0';
    if (text == NULL) return 0;
    const char *path[] = {"endpoints", socket_name};
    char found[address_size];
    if (json_string_at(text, length, path, 2, found, sizeof found) != 0) return 0;
    return connectable(found, out);
}

int registry_address_resolve(const ClusterFlags *flags, int needs_streams, RegistryAddress *address,
                             char error[error_size]) {
    char data[address_size], file[address_size];
    if (data_directory(flags, data, error) != 0) return -1;
    if (format_into(file, address_size, "%s/registry/endpoints.json", data) != 0) {
        return fail(error, "The data folder path is too long.");
    }
    static char text[largest_file + 1];
    size_t length = 0;
    const char *document = NULL;
    if (read_small_file(file, text, &length) == 0) {
        document = text;
    } else if (errno != ENOENT) {
        return fail(error, "The registry's endpoints file %s cannot be read: %s.", file,
                    errno == EFBIG ? "it is too large" : strerror(errno));
    }

    const char *api = flags->registry != NULL ? flags->registry : environment("DEALREG_REGISTRY");
    if (choose_endpoint(api, document, length, "api", address->api) != 0 ||
        choose_endpoint(flags->events, document, length, "events", address->events) != 0 ||
        choose_endpoint(flags->sync, document, length, "sync", address->sync) != 0) {
        return fail(error, "An endpoint is longer than %d characters.", address_size - 1);
    }
    const char *key = flags->registry_key != NULL ? flags->registry_key : environment("DEALREG_REGISTRY_KEY");
    const char *key_path[] = {"public_key"};
    char file_key[z85_key_size] = "";
    if (key == NULL && document != NULL &&
        json_string_at(document, length, key_path, 1, file_key, sizeof file_key) == 0) {
        key = file_key;
    }
    if (key == NULL) {
        return fail(error, "No registry public key: no running cluster in %s; pass --data DIR or --registry-key Z85.",
                    data);
    }
    uint8_t decoded[32];
    if (!is_curve_key(key, decoded)) {
        return fail(error, "The registry key '%s' is not a 40-character Z85 CURVE key.", key);
    }
    memcpy(address->server_key, key, z85_key_size);
    if (address->api[0] == '\0') {
        return fail(error,
                    "No registry api endpoint: no running cluster in %s; pass --data DIR or --registry ENDPOINT.",
                    data);
    }
    if (needs_streams && (address->events[0] == '\0' || address->sync[0] == '\0')) {
        return fail(error,
                    "No registry %s endpoint: no running cluster in %s; pass --data DIR or --events and --sync "
                    "ENDPOINTs.",
                    address->events[0] == '\0' ? "events" : "sync", data);
    }
    return 0;
}
