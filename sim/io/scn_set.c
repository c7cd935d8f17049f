/* sim/io/scn_set.c - parsing PATH=VALUE overrides (see scn_set.h). */
#include "sim/io/scn_set.h"

#include <string.h>

int scn_override_parse(const char *arg, struct scn_override *ov,
                       struct diag *d)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg)
        return diag_set(d, SIM_EINVAL, "--set", 0, 0,
                        "%s: expected PATH=VALUE, e.g. scale.max_executions=20",
                        arg);
    /* Both point into arg (not copied), so ov->path is "PATH=VALUE": it
     * ends at the '=', which scn_load() treats as the end of the path. */
    ov->path = arg;
    ov->value = eq + 1;
    return SIM_OK;
}
