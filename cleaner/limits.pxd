# C types for cleaner/limits.py (Cython's pure-Python mode: the .py stays plain Python). The caps
# stay Python ints (any size a setting gives); the counters are bounded by the page's length.
import cython

@cython.locals(n=Py_ssize_t, elements=Py_ssize_t, depth=Py_ssize_t, total=Py_ssize_t,
               pairs=Py_ssize_t, pos=Py_ssize_t, steps=Py_ssize_t, i=Py_ssize_t, e=Py_ssize_t,
               g=Py_ssize_t, k=Py_ssize_t, c=int, closed=bint, name=bytes)
cpdef object _scan(object caps, bytes s, bytes names, object max_attrs, object max_total,
                   object max_depth, object max_elements, object deadline)
