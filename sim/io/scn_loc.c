/* sim/io/scn_loc.c - key locations of a loaded scenario (see scn_loc.h). */
#include "sim/io/scn_loc.h"

#include <string.h>

const struct scn_loc *scn_loc(const struct scenario *scn, const char *path)
{
    for (size_t i = 0; i < scn->n_locs; i++)
        if (strcmp(scn->locs[i].path, path) == 0)
            return &scn->locs[i];
    return NULL;
}
