# prog.mk - the build rules every program folder shares. A program's
# Makefile sets TOP, includes make.defs, sets SRCS and PROG (the output:
# $(LIBEXEC)/name for a daemon, $(BINDIR)/name for a command) and, for a
# program that does not use the server skeletons, PROGLIBS, then includes
# this file.
PROGLIBS ?= $(LIBS)
OBJS	= $(SRCS:.c=.o)

all: $(PROG)

$(PROG): $(OBJS) $(PROGLIBS)
	@mkdir -p $(dir $(PROG))
	$(CC) $(LDFLAGS_ALL) -o $@ $(OBJS) $(PROGLIBS) $(SYSLIBS)

clean:
	rm -f *.o *.d $(PROG)

.PHONY: all clean

-include $(OBJS:.o=.d)
