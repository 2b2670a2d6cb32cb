#ifndef VSTRING_H
#define VSTRING_H
/*++
/* NAME
/*	vstring 3h
/* SUMMARY
/*	counted, growable, binary-safe strings
/* SYNOPSIS
/*	#include <vstring.h>
/* DESCRIPTION
/*	A struct vstring holds len bytes of data plus a spare NUL byte that
/*	is always kept after the data, so vstring_str() can be passed to
/*	functions that want a C string (as long as the data holds no NUL).
/*	Growth is overflow-checked; allocation never fails (mymalloc).
/*
/*	vstring_alloc() makes a string with room for at least len bytes.
/*	vstring_free() frees it and clears the caller's pointer.
/*	vstring_reset() empties it. vstring_truncate() shortens it.
/*	vstring_append() appends len bytes; vstring_appends() a C string;
/*	vstring_appendc() one byte. vstring_strcpy() and vstring_memcpy()
/*	replace the contents. vstring_sprintf() replaces the contents with
/*	formatted text; vstring_sprintf_append() appends it.
/*	vstring_export() hands the buffer to the caller (who must myfree() it)
/*	and frees the string.
/*
/*	Macros that evaluate their argument once are lower case:
/*	vstring_str(), vstring_len(), vstring_end().
/* DIAGNOSTICS
/*	Fatal: size overflow, out of memory.
/*--*/
#include <stdarg.h>
#include <stddef.h>

struct vstring {
    char   *data;			/* always NUL-terminated */
    size_t  len;			/* bytes in use, not counting NUL */
    size_t  cap;			/* bytes allocated, NUL included */
};

#define vstring_str(vs)		((vs)->data)
#define vstring_len(vs)		((vs)->len)
#define vstring_end(vs)		((vs)->data + (vs)->len)

extern struct vstring *vstring_alloc(size_t);
extern void vstring_free(struct vstring **);
extern void vstring_reset(struct vstring *);
extern void vstring_truncate(struct vstring *, size_t);
extern void vstring_space(struct vstring *, size_t);
extern struct vstring *vstring_append(struct vstring *, const void *, size_t);
extern struct vstring *vstring_appends(struct vstring *, const char *);
extern struct vstring *vstring_appendc(struct vstring *, int);
extern struct vstring *vstring_strcpy(struct vstring *, const char *);
extern struct vstring *vstring_memcpy(struct vstring *, const void *, size_t);
extern struct vstring *vstring_sprintf(struct vstring *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern struct vstring *vstring_sprintf_append(struct vstring *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern struct vstring *vstring_vsprintf_append(struct vstring *, const char *, va_list)
	__attribute__((format(printf, 2, 0)));
extern char *vstring_export(struct vstring **);

#endif
