# C types for cleaner/html/segment.py (Cython's pure-Python mode: the .py stays plain Python).
# The segmenter's state as a C struct: its attributes are read and written on every event of
# the walk, which as instance-dict look-ups cost more than the walk itself.
import cython

cdef class Segmenter:
    cdef public object root
    cdef public list stack
    cdef public list block_stack
    cdef public list buf
    cdef public Py_ssize_t buf_link
    cdef public list credit_buf
    cdef public Py_ssize_t credit_depth
    cdef public Py_ssize_t link_depth
    cdef public object skip_tag
    cdef public Py_ssize_t skip_depth
    cdef public Py_ssize_t overflow
    cdef public list blocks
    cdef public object title
    cdef public bint _in_title
    cdef public list _title_buf
    cdef public object deadline
    cdef public Py_ssize_t events
