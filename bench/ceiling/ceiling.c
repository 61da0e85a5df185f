/*
 * The transport ceiling: the least work any registration needs, without deciding anything.
 * A DEALER sends pipelined RegisterDeal envelopes (protobuf-c) over CURVE to a ROUTER on loopback; the ROUTER
 * unpacks each, packs a Decision reply, and sends it back; the DEALER unpacks the replies. Prints round trips per
 * second. `make bench` runs it in the same run as `dealreg load` and prints their ratio.
 *
 * Usage: ceiling [--duration SECONDS] [--window N]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "dealreg/v1/envelope.pb-c.h"

static char server_public[41], server_secret[41];
static char endpoint[256];
static volatile int ready = 0;

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what) {
    fprintf(stderr, "ceiling: %s: %s\n", what, zmq_strerror(zmq_errno()));
    exit(1);
}

/* The server: unpack a RegisterDeal envelope, pack an APPROVED decision, reply. */
static void *serve(void *context) {
    void *router = zmq_socket(context, ZMQ_ROUTER);
    int on = 1;
    zmq_setsockopt(router, ZMQ_CURVE_SERVER, &on, sizeof on);
    zmq_setsockopt(router, ZMQ_CURVE_SECRETKEY, server_secret, 40);
    int hwm = 100000;
    zmq_setsockopt(router, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(router, ZMQ_RCVHWM, &hwm, sizeof hwm);
    if (zmq_bind(router, "tcp://127.0.0.1:*") != 0) die("bind");
    size_t length = sizeof endpoint;
    zmq_getsockopt(router, ZMQ_LAST_ENDPOINT, endpoint, &length);
    ready = 1;
    uint8_t buffer[4096];
    for (;;) {
        zmq_msg_t identity, payload;
        zmq_msg_init(&identity);
        zmq_msg_init(&payload);
        if (zmq_msg_recv(&identity, router, 0) < 0) break;
        if (zmq_msg_recv(&payload, router, 0) < 0) break;
        Dealreg__V1__Envelope *request =
            dealreg__v1__envelope__unpack(NULL, zmq_msg_size(&payload), zmq_msg_data(&payload));
        if (request && request->body_case == DEALREG__V1__ENVELOPE__BODY_REGISTER_DEAL) {
            Dealreg__V1__Date until = DEALREG__V1__DATE__INIT;
            until.year = 2027;
            until.month = 3;
            until.day = 1;
            Dealreg__V1__Decision decision = DEALREG__V1__DECISION__INIT;
            decision.registration_id = "DR-00000001";
            decision.outcome = DEALREG__V1__OUTCOME__OUTCOME_APPROVED;
            decision.protected_until = &until;
            decision.explanation = "Approved and protected for 90 days.";
            decision.decided_at = (int64_t)time(NULL);
            Dealreg__V1__RegisterDealReply body = DEALREG__V1__REGISTER_DEAL_REPLY__INIT;
            body.decision = &decision;
            Dealreg__V1__Envelope reply = DEALREG__V1__ENVELOPE__INIT;
            reply.version = 1;
            reply.request_id = request->request_id;
            reply.body_case = DEALREG__V1__ENVELOPE__BODY_REGISTER_DEAL_REPLY;
            reply.register_deal_reply = &body;
            size_t size = dealreg__v1__envelope__pack(&reply, buffer);
            zmq_msg_send(&identity, router, ZMQ_SNDMORE);
            zmq_send(router, buffer, size, 0);
        }
        if (request) dealreg__v1__envelope__free_unpacked(request, NULL);
        zmq_msg_close(&identity);
        zmq_msg_close(&payload);
    }
    zmq_close(router);
    return NULL;
}

int main(int argc, char **argv) {
    double duration = 5;
    int window = 256;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--duration") == 0) duration = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--window") == 0) window = atoi(argv[i + 1]);
    }
    void *context = zmq_ctx_new();
    if (zmq_curve_keypair(server_public, server_secret) != 0) die("curve keypair");
    char client_public[41], client_secret[41];
    zmq_curve_keypair(client_public, client_secret);
    pthread_t server;
    pthread_create(&server, NULL, serve, context);
    while (!ready) {
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
    void *dealer = zmq_socket(context, ZMQ_DEALER);
    zmq_setsockopt(dealer, ZMQ_CURVE_SERVERKEY, server_public, 40);
    zmq_setsockopt(dealer, ZMQ_CURVE_PUBLICKEY, client_public, 40);
    zmq_setsockopt(dealer, ZMQ_CURVE_SECRETKEY, client_secret, 40);
    int hwm = 100000, linger = 0;
    zmq_setsockopt(dealer, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(dealer, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(dealer, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_connect(dealer, endpoint) != 0) die("connect");

    /* A request the size of a real registration. */
    Dealreg__V1__Customer customer = DEALREG__V1__CUSTOMER__INIT;
    customer.legal_name = "Societe Generale d'Equipement SA";
    customer.street = "12 rue de la Paix";
    customer.city = "Paris";
    customer.postal_code = "75002";
    customer.country = "FR";
    customer.web_domain = "sge-equipement.fr";
    char *lines[] = {"storage", "servers"};
    Dealreg__V1__Money amount = DEALREG__V1__MONEY__INIT;
    amount.minor_units = 12500000;
    amount.currency = "EUR";
    Dealreg__V1__Date close = DEALREG__V1__DATE__INIT;
    close.year = 2027;
    close.month = 3;
    close.day = 31;
    Dealreg__V1__RegisterDealRequest deal = DEALREG__V1__REGISTER_DEAL_REQUEST__INIT;
    deal.customer = &customer;
    deal.n_product_lines = 2;
    deal.product_lines = lines;
    deal.amount = &amount;
    deal.expected_close = &close;
    deal.registrant_reference = "OPP-2026-0001";
    Dealreg__V1__Envelope envelope = DEALREG__V1__ENVELOPE__INIT;
    envelope.version = 1;
    envelope.body_case = DEALREG__V1__ENVELOPE__BODY_REGISTER_DEAL;
    envelope.register_deal = &deal;

    uint8_t buffer[4096];
    char request_id[64];
    long sent = 0, received = 0, bytes = 0;
    double start = now_seconds(), end = start + duration;
    while (1) {
        double now = now_seconds();
        while (now < end && sent - received < window) {
            snprintf(request_id, sizeof request_id, "ceiling-%ld", sent);
            envelope.request_id = request_id;
            size_t size = dealreg__v1__envelope__pack(&envelope, buffer);
            bytes = (long)size;
            if (zmq_send(dealer, buffer, size, 0) < 0) die("send");
            sent++;
        }
        if (now >= end && received == sent) break;
        zmq_msg_t reply;
        zmq_msg_init(&reply);
        if (zmq_msg_recv(&reply, dealer, 0) < 0) die("receive");
        Dealreg__V1__Envelope *decoded = dealreg__v1__envelope__unpack(NULL, zmq_msg_size(&reply), zmq_msg_data(&reply));
        if (!decoded || decoded->body_case != DEALREG__V1__ENVELOPE__BODY_REGISTER_DEAL_REPLY) {
            fprintf(stderr, "ceiling: bad reply\n");
            return 1;
        }
        dealreg__v1__envelope__free_unpacked(decoded, NULL);
        zmq_msg_close(&reply);
        received++;
    }
    double seconds = now_seconds() - start;
    printf("ceiling: %.0f round trips/s (%ld in %.2f s, window %d, request %ld bytes, CURVE over tcp loopback)\n",
           (double)received / seconds, received, seconds, window, bytes);
    zmq_close(dealer);
    fflush(stdout);
    _exit(0); /* the server thread is still blocked in receive */
}
