# C types for cleaner/core/_fast.py (Cython's pure-Python mode: the .py stays plain Python).
import cython

@cython.locals(i=Py_ssize_t, tr=Py_ssize_t, ntrees=Py_ssize_t, row=Py_ssize_t, f0=Py_ssize_t,
               ni=Py_ssize_t, k=Py_ssize_t, s=double, every=Py_ssize_t)
cpdef list tree_sums(Py_ssize_t n, Py_ssize_t m, double[::1] xs, double base, int[::1] feat,
                     double[::1] thr, double[::1] leaf, int[::1] node_off, int[::1] leaf_off,
                     int[::1] inner)

@cython.locals(acc="double[::1]", seen="signed char[::1]", path="int[::1]", tr=Py_ssize_t,
               f0=Py_ssize_t, ni=Py_ssize_t, depth=Py_ssize_t, k=Py_ssize_t, j=Py_ssize_t,
               d=Py_ssize_t, share=double)
cpdef dict _credit(double[::1] xs, Py_ssize_t m, int[::1] feat, double[::1] thr, double[::1] leaf,
                   int[::1] node_off, int[::1] leaf_off, int[::1] inner, object columns)

@cython.locals(n=Py_ssize_t, i=Py_ssize_t, j=Py_ssize_t, ch=Py_UCS4, words=Py_ssize_t, punct=Py_ssize_t,
               seps=Py_ssize_t, caps=Py_ssize_t, upper=Py_ssize_t, digits=Py_ssize_t, ends=Py_ssize_t,
               commas=Py_ssize_t, money=Py_ssize_t, prev_space=bint, wlen=Py_ssize_t, w_cased=bint,
               w_lower=bint, question=bint, is_lower=bint, is_upper=bint, is_title=bint,
               is_digit=bint)
cpdef tuple shape_counts(str t)

@cython.locals(n=Py_ssize_t, nw=Py_ssize_t, nwords=Py_ssize_t, npunct=Py_ssize_t, nseps=Py_ssize_t,
               ncaps=Py_ssize_t, nupper=Py_ssize_t, ndigits=Py_ssize_t, nends=Py_ssize_t,
               ncommas=Py_ssize_t, nmoney=Py_ssize_t, asks=bint, ntk=Py_ssize_t, first=str,
               tlen=Py_ssize_t, w=str)
cpdef tuple lexical_row(str t, object tk)

@cython.locals(k=Py_ssize_t, every=Py_ssize_t, rows=list)
cpdef dict lexical_columns(object texts, object toks_of)

@cython.locals(k=Py_ssize_t, every=Py_ssize_t, out=list, t=str)
cpdef list lexical_rows(object texts, object toks_of, dict seen)

@cython.locals(n=Py_ssize_t, i=Py_ssize_t, j=Py_ssize_t, lo=Py_ssize_t, hi=Py_ssize_t, k=Py_ssize_t,
               s=double)
cpdef list _window_means(double[::1] xs, Py_ssize_t w)

@cython.locals(i=Py_ssize_t)
cpdef void _fill_column(double[::1] xs, list col, Py_ssize_t j, Py_ssize_t m, Py_ssize_t n) except *

@cython.locals(n=Py_ssize_t, i=Py_ssize_t, words=Py_ssize_t, wide=Py_ssize_t, ch=Py_UCS4,
               ascii_only=bint, ascii_letter=bint, in_word=bint, letter=bint)
cpdef tuple text_counts(str text, str low)

@cython.locals(n=Py_ssize_t, i=Py_ssize_t, start=Py_ssize_t, ch=Py_UCS4, word=bint, toks=list)
cpdef list tokens(str text)

@cython.locals(n=Py_ssize_t, i=Py_ssize_t, x=double, e=double, total=double, prob="double[::1]",
               xs="double[::1]", ws="double[::1]")
cpdef list second_logits(object logit1, object w, Py_ssize_t near, Py_ssize_t wide)

@cython.locals(n=Py_ssize_t, i=Py_ssize_t, s=double, before=double, w_bias=double, w_logit=double,
               w_prev=double, w_next=double, w_near=double, w_wide=double, w_before=double, w_after=double)
cpdef list _second(double[::1] xs, double[::1] prob, double[::1] p_near, double[::1] p_wide,
                   double total, double[::1] w)

@cython.locals(n=Py_ssize_t, k=Py_ssize_t, t=str, toks=list, out=list)
cpdef list stop_shares(object texts, object toks_of, object stops, dict seen)

@cython.locals(found=dict, langs=tuple)
cpdef tuple language_hits(list toks, dict index)
