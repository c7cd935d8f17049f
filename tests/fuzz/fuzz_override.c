/* tests/fuzz/fuzz_override.c - `--set PATH=VALUE` overrides on a fixed,
 * valid base scenario.
 *
 * Input layout: the first byte picks the base scenario (byte % 3: a poisson
 * storage-queue job, a service-bus list of items with a dedicated plan, a
 * scenario with a sweep and an slo); the rest is split at '\n' into up to 8
 * override strings (more lines are ignored), each given to
 * scn_override_parse() exactly as the command line would. The overrides
 * that parse are applied by scn_load_string() (base_dir tests/fuzz/data;
 * a path given by an override is relative to the current folder, as on the
 * command line); on success the scenario is
 * checked (scn_check_supported) and freed. */
#include "fuzz_common.h"

#include "sim/io/scenario.h"
#include "sim/io/support.h"

#define MAX_OV 8

static const char *const bases[] = {
    "name: base0\n"
    "seed: 3\n"
    "replications: 2\n"
    "horizon: 1h\n"
    "arrivals: {process: {kind: poisson, rate: 2/s}}\n"
    "source: {kind: storage-queue, visibility_timeout: 5m}\n"
    "scale:\n"
    "  polling_interval: 30s\n"
    "  max_executions: 10\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 2}]\n"
    "job:\n"
    "  startup: {dist: lognormal, median: 10s, p95: 40s}\n"
    "  duration: {dist: exponential, mean: 2s}\n"
    "output: {timeseries: false, plots: false}\n",

    "name: base1\n"
    "horizon: 2h\n"
    "drain_limit: 1h\n"
    "arrivals:\n"
    "  - process: {kind: poisson, rate: 0.5/s}\n"
    "  - process: {kind: batches, every: 30m, offset: 5m, spread: 1m,\n"
    "              size: {dist: uniform, min: 100, max: 300}}\n"
    "  - process: {kind: mmpp, states: [{rate: 1/s, mean_sojourn: 10m},\n"
    "                                   {rate: 0.1/s, mean_sojourn: 20m}]}\n"
    "source: {kind: service-bus, lock_duration: 40s, max_delivery_count: 3}\n"
    "scale:\n"
    "  polling_interval: 15s\n"
    "  strategy: accurate\n"
    "  rules: [{name: sb, type: azure-servicebus, queue_length: 4}]\n"
    "job: {parallelism: 2, messages_per_replica: 5, receive_batch: 2}\n"
    "downstream: {concurrency: 6, on_limit: reject}\n"
    "cost:\n"
    "  plan: dedicated\n"
    "  dedicated: {node_vcpu: 2, node_gib: 8, max_nodes: 3}\n",

    "name: base2\n"
    "horizon: 6h\n"
    "arrivals:\n"
    "  process:\n"
    "    kind: piecewise\n"
    "    steps: [{at: 0s, rate: 1/s}, {at: 1h, rate: 5/min}]\n"
    "    repeat: 2h\n"
    "scale:\n"
    "  max_executions: 20\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {duration: {dist: fixed, value: 3s}, cpu: 0.25, memory: 0.5Gi}\n"
    "baseline: {replicas: 2}\n"
    "slo: {latency_p95: 5m, backlog_max: 100}\n"
    "sweep:\n"
    "  - {path: scale.max_executions, values: [5, 10, 20]}\n"
    "output: {timeseries: false, plots: false}\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 16 * 1024)
        return 0;
    const char *base = bases[data[0] % 3];
    char *text = fz_cstr(data + 1, size - 1);
    if (text == NULL)
        return 0;
    struct scn_override ov[MAX_OV];
    size_t n_ov = 0;
    char *line = text;
    while (line != NULL && n_ov < MAX_OV) {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        struct diag d;
        diag_init(&d);
        if (scn_override_parse(line, &ov[n_ov], &d) == 0)
            n_ov++;
        line = nl != NULL ? nl + 1 : NULL;
    }
    struct scenario scn;
    struct diag d;
    if (scn_load_string(&scn, base, "base.yaml", "tests/fuzz/data",
                        ov, n_ov, &d) == 0) {
        struct diag d2;
        diag_init(&d2);
        (void)scn_check_supported(&scn, &d2);
        scn_fini(&scn);
    }
    free(text);
    return 0;
}
