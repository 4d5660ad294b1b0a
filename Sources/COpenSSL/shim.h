#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
/* OpenSSL headers plus static inline wrappers for the macros Swift cannot import. */
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <time.h>

static const long COPENSSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;
static const long COPENSSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const long COPENSSL_OP_IGNORE_UNEXPECTED_EOF = SSL_OP_IGNORE_UNEXPECTED_EOF;
static const int COPENSSL_TLS1_2_VERSION = TLS1_2_VERSION;
static const int COPENSSL_TLS1_3_VERSION = TLS1_3_VERSION;

static inline long copenssl_set_sni(SSL *ssl, const char *name) { return SSL_set_tlsext_host_name(ssl, name); }
static inline long copenssl_ctx_set_min_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long copenssl_ctx_set_options(SSL_CTX *ctx, long options) { return SSL_CTX_set_options(ctx, options); }
static inline long copenssl_ctx_set_mode_partial_writes(SSL_CTX *ctx) {
    return SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}
/* An idle connection keeps no record buffers (~17 KB read + ~17 KB write each): the root pool
   holds up to 256 idle connections, 8.5 MB of buffers otherwise (heaptrack, 10,000 atSigns). */
static inline long copenssl_ctx_release_idle_buffers(SSL_CTX *ctx) {
    return SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
}
static inline int copenssl_ctx_releases_idle_buffers(SSL_CTX *ctx) {
    return (SSL_CTX_get_mode(ctx) & SSL_MODE_RELEASE_BUFFERS) != 0;
}
static inline int copenssl_releases_idle_buffers(SSL *ssl) { return (SSL_get_mode(ssl) & SSL_MODE_RELEASE_BUFFERS) != 0; }
/* Read ahead: one read() takes whatever the socket holds, not a record header and then its
   body (two reads per record, and a handshake's flight is several records). */
static inline void copenssl_ctx_enable_read_ahead(SSL_CTX *ctx) { SSL_CTX_set_read_ahead(ctx, 1); }
static inline int copenssl_reads_ahead(SSL *ssl) { return SSL_get_read_ahead(ssl); }
/* No session cache: the only resumption (RootDirectory) keeps its one ticket itself, and a
   client cache only piles up every TLS 1.3 ticket (up to 20,480 sessions, several KB each)
   until they expire hours later. */
static inline long copenssl_ctx_disable_session_cache(SSL_CTX *ctx) {
    return SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

static inline long copenssl_ctx_add1_chain_cert(SSL_CTX *ctx, X509 *cert) { return SSL_CTX_add1_chain_cert(ctx, cert); }

/* OpenSSL frees its global state in an atexit handler; with probes still running on other
   threads at exit that cleanup races them (heap corruption seen at shutdown). Opting out is
   what long-running servers do: the process is ending anyway. */
static inline int copenssl_init_without_atexit(void) {
    return OPENSSL_init_ssl(OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS,
                            NULL);
}

/* The last queued OpenSSL error as text, then clears the queue. */
static inline void copenssl_last_error(char *buffer, size_t size) {
    unsigned long code = ERR_get_error();
    if (code == 0) {
        strncpy(buffer, "no OpenSSL error queued", size);
        buffer[size - 1] = 0;
    } else {
        ERR_error_string_n(code, buffer, size);
    }
    ERR_clear_error();
}

/* A fresh P-256 key: EVP_EC_gen is a variadic macro. */
static inline EVP_PKEY *copenssl_generate_ec_key(void) { return EVP_EC_gen("P-256"); }

/* Seconds since the epoch of an ASN1_TIME, or -1. */
static inline long long copenssl_asn1_time_to_unix(const ASN1_TIME *time) {
    struct tm tm;
    if (time == NULL || ASN1_TIME_to_tm(time, &tm) != 1) return -1;
    return (long long)timegm(&tm);
}

/* notAfter (Unix seconds, or -1) of the leaf certificate the peer presented, verified or not:
   after a refused handshake there is no verified peer certificate, but the chain the peer sent
   is kept (its first entry is the leaf on the client side). */
static inline long long copenssl_presented_leaf_not_after(const SSL *ssl) {
    X509 *leaf = SSL_get0_peer_certificate(ssl);
    if (leaf == NULL) {
        STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
        if (chain != NULL && sk_X509_num(chain) > 0) leaf = sk_X509_value(chain, 0);
    }
    return leaf == NULL ? -1 : copenssl_asn1_time_to_unix(X509_get0_notAfter(leaf));
}

/* Hostname checks as browsers do them: no partial wildcards (`a*.example.com`) and never the
   subject CN, only subjectAltName entries. */
static inline void copenssl_set_strict_host_flags(SSL *ssl) {
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
}

/* Whole PEM text of a memory BIO. */
static inline long copenssl_bio_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

#endif
