# cython: language_level=3, boundscheck=False, wraparound=False
"""Two of thinc's CPU kernels for inference, as the embedding layers use them.

In the token-to-vector layers of spaCy's pipelines (hash embeddings, then maxout
layers), the matrix products run near the processor's peak, but two of thinc's
kernels around them do not: ``gather_add`` calls a BLAS ``saxpy`` per embedding
row, and ``maxout`` computes the index of each winner, which only training needs.
Together they were about a third of the fast model's token-to-vector time on
PolNeAR dev. These are the same sums in the same order and the same maxima, so
the vectors are bit-for-bit thinc's (tests/test_accel.py); onrecord._accel puts
them in the loaded pipeline's layers for inference only.
"""

import numpy as np

from libc.stdint cimport uint32_t


def maxout(const float[:, :, ::1] X):
    """The best of each unit's pieces: thinc's ``ops.maxout(X)[0]``."""
    cdef Py_ssize_t B = X.shape[0]
    cdef Py_ssize_t O = X.shape[1]
    cdef Py_ssize_t P = X.shape[2]
    best = np.empty((B, O), dtype=np.float32)
    if B == 0 or O == 0:
        return best
    if P == 0:
        raise ValueError("maxout over zero pieces")
    cdef float[:, ::1] out = best
    cdef Py_ssize_t b, o, p
    cdef float m, a0, a1, a2
    with nogil:
        for b in range(B):
            for o in range(O):
                # thinc's argmax: for two and three pieces the unrolled form
                # (ties and NaN as there), else the first strictly greater
                if P == 2:
                    a0 = X[b, o, 0]
                    a1 = X[b, o, 1]
                    out[b, o] = a1 if a1 > a0 else a0
                elif P == 3:
                    a0 = X[b, o, 0]
                    a1 = X[b, o, 1]
                    a2 = X[b, o, 2]
                    m = a2 if a2 > a1 else a1
                    out[b, o] = m if m > a0 else a0
                else:
                    m = X[b, o, 0]
                    for p in range(1, P):
                        if X[b, o, p] > m:
                            m = X[b, o, p]
                    out[b, o] = m
    return best


def gather_add(const float[:, ::1] table, const uint32_t[:, ::1] keys):
    """Each row of ``keys`` summed over the rows of ``table`` it names, in order:
    thinc's ``ops.gather_add(table, keys)``."""
    cdef Py_ssize_t T = table.shape[0]
    cdef Py_ssize_t O = table.shape[1]
    cdef Py_ssize_t B = keys.shape[0]
    cdef Py_ssize_t K = keys.shape[1]
    out_arr = np.zeros((B, O), dtype=np.float32)
    if B == 0 or O == 0:
        return out_arr
    cdef float[:, ::1] out = out_arr
    cdef Py_ssize_t b, k, o
    cdef uint32_t idx
    cdef bint bad = False
    with nogil:
        for b in range(B):
            for k in range(K):
                idx = keys[b, k]
                if idx >= T:
                    bad = True
                    break
                for o in range(O):
                    out[b, o] += table[idx, o]
            if bad:
                break
    if bad:
        raise IndexError("embedding row out of range")
    return out_arr
