/*++
/* NAME
/*	vstring 3
/* SUMMARY
/*	counted, growable, binary-safe strings
/* SYNOPSIS
/*	#include <vstring.h>
/* DESCRIPTION
/*	See vstring.h. The invariant kept by every function: data[len] == 0
/*	and len < cap. vstring_append() (and so every appending function)
/*	accepts a source inside the string's own buffer.
/* DIAGNOSTICS
/*	Fatal: size overflow, out of memory.
/*--*/
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

struct vstring *vstring_alloc(size_t len)
{
    struct vstring *vs = mymalloc(sizeof(*vs));

    if (len < 16)
	len = 16;
    if (len == SIZE_MAX)
	msg_fatal("vstring_alloc: size overflow");
    vs->cap = len + 1;
    vs->data = mymalloc(vs->cap);
    vs->len = 0;
    vs->data[0] = 0;
    return (vs);
}

void    vstring_free(struct vstring **vsp)
{
    if (*vsp) {
	myfree((*vsp)->data);
	myfree(*vsp);
	*vsp = 0;
    }
}

/* vstring_space - make room for len more bytes plus the NUL */

void    vstring_space(struct vstring *vs, size_t len)
{
    size_t  need;
    size_t  newcap;

    if (__builtin_add_overflow(vs->len, len, &need)
	|| __builtin_add_overflow(need, 1, &need))
	msg_fatal("vstring_space: size overflow");
    if (need <= vs->cap)
	return;
    newcap = vs->cap;
    while (newcap < need)
	if (__builtin_mul_overflow(newcap, 2, &newcap))
	    newcap = need;
    vs->data = myrealloc(vs->data, newcap);
    vs->cap = newcap;
}

void    vstring_reset(struct vstring *vs)
{
    vs->len = 0;
    vs->data[0] = 0;
}

void    vstring_truncate(struct vstring *vs, size_t len)
{
    if (len < vs->len) {
	vs->len = len;
	vs->data[len] = 0;
    }
}

struct vstring *vstring_append(struct vstring *vs, const void *buf, size_t len)
{
    const char *src = buf;

    if (len == 0)
	return (vs);
    /* The source may lie in our own buffer, which vstring_space() moves. */
    if ((uintptr_t) src >= (uintptr_t) vs->data
	&& (uintptr_t) src < (uintptr_t) vs->data + vs->cap) {
	size_t  offset = (size_t) ((uintptr_t) src - (uintptr_t) vs->data);

	vstring_space(vs, len);
	buf = vs->data + offset;
    } else {
	vstring_space(vs, len);
    }
    memmove(vs->data + vs->len, buf, len);
    vs->len += len;
    vs->data[vs->len] = 0;
    return (vs);
}

struct vstring *vstring_appends(struct vstring *vs, const char *str)
{
    return (vstring_append(vs, str, strlen(str)));
}

struct vstring *vstring_appendc(struct vstring *vs, int ch)
{
    char    c = (char) ch;

    return (vstring_append(vs, &c, 1));
}

struct vstring *vstring_memcpy(struct vstring *vs, const void *buf, size_t len)
{
    vstring_reset(vs);
    return (vstring_append(vs, buf, len));
}

struct vstring *vstring_strcpy(struct vstring *vs, const char *str)
{
    return (vstring_memcpy(vs, str, strlen(str)));
}

struct vstring *vstring_vsprintf_append(struct vstring *vs, const char *fmt,
					        va_list ap)
{
    va_list ap2;
    int     n;

    va_copy(ap2, ap);
    n = vsnprintf(vs->data + vs->len, vs->cap - vs->len, fmt, ap2);
    va_end(ap2);
    if (n < 0)
	msg_panic("vstring_vsprintf_append: bad format \"%s\"", fmt);
    if ((size_t) n >= vs->cap - vs->len) {
	vstring_space(vs, (size_t) n);
	n = vsnprintf(vs->data + vs->len, vs->cap - vs->len, fmt, ap);
	if (n < 0 || (size_t) n >= vs->cap - vs->len)
	    msg_panic("vstring_vsprintf_append: format \"%s\" is unstable", fmt);
    }
    vs->len += (size_t) n;
    return (vs);
}

struct vstring *vstring_sprintf_append(struct vstring *vs, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf_append(vs, fmt, ap);
    va_end(ap);
    return (vs);
}

struct vstring *vstring_sprintf(struct vstring *vs, const char *fmt,...)
{
    va_list ap;

    vstring_reset(vs);
    va_start(ap, fmt);
    vstring_vsprintf_append(vs, fmt, ap);
    va_end(ap);
    return (vs);
}

char   *vstring_export(struct vstring **vsp)
{
    char   *data = (*vsp)->data;

    myfree(*vsp);
    *vsp = 0;
    return (data);
}
