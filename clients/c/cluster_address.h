/*
 * How the C client finds a cluster and who it is, the same way as the `dealreg` command line: the data folder
 * from `--data`, else `DEALREG_DATA`, else `~/.dealreg`; the principal's key pair in `DATA/keys/ID.key` (or a key
 * file given outright); the registry's endpoints and CURVE public key in `DATA/registry/endpoints.json`, each
 * overridden by its flag, then by `DEALREG_REGISTRY` / `DEALREG_REGISTRY_KEY`. Plain values and functions; safe
 * from any thread.
 */
#ifndef DEALREG_CLUSTER_ADDRESS_H
#define DEALREG_CLUSTER_ADDRESS_H

#include <stddef.h>

/* Z85 text of a 32-byte CURVE key, and its NUL. */
enum { z85_key_size = 41 };
/* Room for an endpoint (`tcp://host:port`, `ipc:///path`) or a path; longer ones are refused, never cut. */
enum { address_size = 1024 };
/* Room for a one-sentence error. */
enum { error_size = 1536 };

/* What the user said on the command line; NULL for a flag not given. */
typedef struct {
    const char *data;
    const char *principal;
    const char *key_file;
    const char *registry;
    const char *registry_key;
    const char *events;
    const char *sync;
} ClusterFlags;

/* A principal's identity as its key file holds it, checked: the secret key yields the public key. */
typedef struct {
    char id[129];
    char kind[64];
    char public_key[z85_key_size];
    char secret_key[z85_key_size];
} Principal;

/* The registry's sockets a client connects to, and the key the registry proves itself with. */
typedef struct {
    char api[address_size];
    char events[address_size];
    char sync[address_size];
    char server_key[z85_key_size];
} RegistryAddress;

/* Loads the principal of `flags` (`--key FILE`, else `--as ID` in the data folder's keystore). On failure returns
 * -1 with a sentence in `error`. */
int principal_load(const ClusterFlags *flags, Principal *principal, char error[error_size]);

/* Resolves the registry's endpoints and key from the flags, the environment and the data folder's
 * `registry/endpoints.json`; `needs_streams` also requires the `events` and `sync` endpoints. On failure returns
 * -1 with a sentence in `error` naming what is missing. */
int registry_address_resolve(const ClusterFlags *flags, int needs_streams, RegistryAddress *address,
                             char error[error_size]);

#endif
