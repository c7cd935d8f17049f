/* sim/engine/evq.c - the event set: an array binary min-heap ordered by
 * (time, prio, seq) with O(log n) cancel through (slot, generation) handles.
 *
 * Workload: one queue per replication holding from a few to a few thousand
 * pending events (one per in-flight message, replica and poll timer). The
 * hot path is the "hold" pattern: pop the earliest event, push one or two
 * later ones. Cancels are rarer (a lease renewed, a replica torn down) but
 * must not be O(n). Target: >= 1e7 push+pop pairs per second at n = 1,000.
 *
 * Layout. Two arrays of the same capacity:
 *   heap[]  - 24-byte keys {time, prio, slot, seq}; only keys move while
 *             sifting, so a sift step touches 24 bytes plus one position
 *             update instead of the whole event record.
 *   slots[] - one record per event: the event itself, the heap position of
 *             its key and a generation. A handle names a slot and the
 *             generation it had when the event was pushed.
 * Pending events and used slots are in one-to-one correspondence, so the
 * free list is non-empty exactly when size < cap and both arrays grow
 * together (doubling). Cost of this choice: a heap move writes into slots[]
 * as well (a second cache line); a plain heap without cancel would not. The
 * upgrade path, if profiles ever show it, is a 4-ary heap over the same
 * slot table (fewer levels, same handle scheme).
 *
 * Generations. gen is odd while the slot holds a pending event and even
 * while it is free; it is bumped on every allocation and every release.
 * A handle is live iff slots[h.slot].gen == h.gen (an odd number), so a
 * handle of a fired, cancelled or cleared event never matches again (until
 * 2^31 reuses of the same slot, far beyond any run). */
#include "sim/engine/evq.h"

#include <stdlib.h>
#include <string.h>

/* Default starting capacity. -DSIM_TEST builds start at 1 so every test
 * exercises growth (Lua ltests). */
#ifdef SIM_TEST
#define EVQ_DEFAULT_CAP 1u
#else
#define EVQ_DEFAULT_CAP 64u
#endif

/* Slot indices must stay below UINT32_MAX, the "invalid handle" marker. */
#define EVQ_MAX_CAP ((size_t)UINT32_MAX - 1u)

/* Key of one pending event as stored in the heap. seq is unique within a
 * queue, so the order (time, prio, seq) is total and ties never depend on
 * the heap's shape. */
struct hkey {
    sim_time time;  /* us */
    int32_t prio;   /* smaller first at equal time */
    uint32_t slot;  /* index into slots[] */
    uint64_t seq;   /* push order, from q->seq */
};

/* One slot. While used (gen odd): ev is the pending event and pos is the
 * index of its key in heap[], heap[pos].slot == this slot's index.
 * While free (gen even): pos is the next free slot, or UINT32_MAX. */
struct slot {
    struct event ev;  /* the pending event (time/prio/seq copied in key) */
    uint32_t pos;     /* heap position, or next free slot */
    uint32_t gen;     /* odd = used, even = free */
};

/* Invariants (checked by evq__check):
 *   n <= cap; heap[0..n) is a min-heap under key_less;
 *   for i < n: slots[heap[i].slot] is used and its pos == i;
 *   the free list from free_head visits exactly cap - n slots, all free. */
struct evq {
    struct hkey *heap;   /* [cap] */
    struct slot *slots;  /* [cap] */
    size_t n;            /* pending events */
    size_t cap;          /* capacity of both arrays, <= EVQ_MAX_CAP */
    uint32_t free_head;  /* first free slot, UINT32_MAX when n == cap */
    uint64_t seq;        /* next sequence number */
};

/* Strict (time, prio, seq) order. The time test comes first and alone
 * decides almost every comparison, so it is kept branch-light. */
static inline bool key_less(const struct hkey *a, const struct hkey *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->prio != b->prio)
        return a->prio < b->prio;
    return a->seq < b->seq;
}

/* Chain slots [from, to) onto the front of the free list, lowest index
 * first, so a fresh queue hands out slots 0, 1, 2, ... */
static void free_chain(struct evq *q, size_t from, size_t to)
{
    for (size_t i = to; i-- > from;) {
        q->slots[i].pos = q->free_head;
        q->free_head = (uint32_t)i;
    }
}

/* Resize both arrays to new_cap (> q->cap). Returns false, leaving the
 * queue untouched, on allocation failure or when new_cap is too large. */
static bool grow(struct evq *q, size_t new_cap)
{
    if (new_cap > EVQ_MAX_CAP)
        new_cap = EVQ_MAX_CAP;
    if (new_cap <= q->cap)
        return false;
    struct hkey *h = realloc(q->heap, new_cap * sizeof *h);
    if (!h)
        return false;
    q->heap = h;  /* keep the larger block even if slots[] fails below */
    struct slot *s = realloc(q->slots, new_cap * sizeof *s);
    if (!s)
        return false;
    q->slots = s;
    for (size_t i = q->cap; i < new_cap; i++)
        s[i].gen = 0;
    free_chain(q, q->cap, new_cap);
    q->cap = new_cap;
    return true;
}

struct evq *evq_new(size_t cap_hint)
{
    struct evq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->free_head = UINT32_MAX;
    if (!grow(q, cap_hint ? cap_hint : EVQ_DEFAULT_CAP)) {
        evq_free(q);
        return NULL;
    }
    return q;
}

void evq_free(struct evq *q)
{
    if (!q)
        return;
    free(q->heap);
    free(q->slots);
    free(q);
}

/* Place key k at position i and record the position in its slot. */
static inline void put(struct evq *q, size_t i, const struct hkey *k)
{
    q->heap[i] = *k;
    q->slots[k->slot].pos = (uint32_t)i;
}

/* Move key k, destined for hole i, up towards the root until its parent is
 * not larger. Uses a hole instead of swaps: one write per level. */
static void sift_up(struct evq *q, size_t i, const struct hkey *k)
{
    struct hkey *h = q->heap;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!key_less(k, &h[p]))
            break;
        put(q, i, &h[p]);
        i = p;
    }
    put(q, i, k);
}

/* Move key k, destined for hole i, down until no child is smaller. */
static void sift_down(struct evq *q, size_t i, const struct hkey *k)
{
    struct hkey *h = q->heap;
    size_t n = q->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && key_less(&h[c + 1], &h[c]))
            c++;
        if (!key_less(&h[c], k))
            break;
        put(q, i, &h[c]);
        i = c;
    }
    put(q, i, k);
}

struct evq_handle evq_push(struct evq *q, const struct event *ev)
{
    if (q->n == q->cap && !grow(q, q->cap * 2))
        return evq_handle_none();
    uint32_t si = q->free_head;
    struct slot *s = &q->slots[si];
    q->free_head = s->pos;
    s->gen++;  /* even -> odd: used */
    s->ev = *ev;
    s->ev.seq = q->seq++;

    struct hkey k = {ev->time, ev->prio, si, s->ev.seq};
    sift_up(q, q->n++, &k);

    struct evq_handle hd = {si, s->gen};
    return hd;
}

/* Return slot si to the free list; its generation becomes even, so every
 * handle issued for it is stale from now on. */
static inline void release(struct evq *q, uint32_t si)
{
    struct slot *s = &q->slots[si];
    s->gen++;
    s->pos = q->free_head;
    q->free_head = si;
}

/* Remove the key at heap position i: the last key fills the hole and moves
 * up or down, whichever restores the order. */
static void remove_at(struct evq *q, size_t i)
{
    size_t last = --q->n;
    if (i == last)
        return;
    struct hkey k = q->heap[last];
    if (i > 0 && key_less(&k, &q->heap[(i - 1) / 2]))
        sift_up(q, i, &k);
    else
        sift_down(q, i, &k);
}

bool evq_pop(struct evq *q, struct event *ev)
{
    if (q->n == 0)
        return false;
    uint32_t si = q->heap[0].slot;
    *ev = q->slots[si].ev;
    remove_at(q, 0);
    release(q, si);
    return true;
}

bool evq_peek(const struct evq *q, struct event *ev)
{
    if (q->n == 0)
        return false;
    *ev = q->slots[q->heap[0].slot].ev;
    return true;
}

bool evq_cancel(struct evq *q, struct evq_handle h)
{
    /* The none handle fails the first test; a stale one fails the second
     * (its slot's generation moved on when the event fired or was
     * cancelled). */
    if (h.slot >= q->cap || q->slots[h.slot].gen != h.gen || !(h.gen & 1u))
        return false;
    remove_at(q, q->slots[h.slot].pos);
    release(q, h.slot);
    return true;
}

size_t evq_size(const struct evq *q)
{
    return q->n;
}

void evq_clear(struct evq *q)
{
    /* Release in heap order; O(n) and leaves seq running, so FIFO order
     * among equal keys still holds across a clear. */
    while (q->n > 0)
        release(q, q->heap[--q->n].slot);
}

bool evq__check(const struct evq *q)
{
    if (q->n > q->cap || q->cap > EVQ_MAX_CAP)
        return false;
    for (size_t i = 0; i < q->n; i++) {
        const struct hkey *k = &q->heap[i];
        if (k->slot >= q->cap)
            return false;
        const struct slot *s = &q->slots[k->slot];
        if (!(s->gen & 1u) || s->pos != i)
            return false;
        /* The key must mirror the stored event. */
        if (s->ev.time != k->time || s->ev.prio != k->prio ||
            s->ev.seq != k->seq || k->seq >= q->seq)
            return false;
        if (i > 0 && !key_less(&q->heap[(i - 1) / 2], k))
            return false;
    }
    /* Walking at most cap - n steps also rules out a cycle. */
    size_t nfree = 0;
    for (uint32_t f = q->free_head; f != UINT32_MAX; f = q->slots[f].pos) {
        if (f >= q->cap || (q->slots[f].gen & 1u) || ++nfree > q->cap - q->n)
            return false;
    }
    return nfree == q->cap - q->n;
}
