# install.mk - make install, make uninstall, make deb: k23 installed like a tool.
#
#   make install [PREFIX=/usr/local] [DESTDIR=DIR]
#   make deb     [DEB_OUT=DIR]: DIR/k23_VERSION_amd64.deb (DIR: build/), for
#                `apt install ./build/k23_*.deb`; scripts/make-deb
#
# k23 (the launcher) finds its core k23-core and its helper k23-prepare
# beside its own binary (/proc/self/exe), and k23-remote, the remote trees'
# proxy; k23-prepare finds k23 the same way; nothing else is read from the
# build tree (the runtime and the loader are inside k23-core; the sidecar
# cache is the user's, $K23_CACHE or ~/.cache/k23). The binaries go to
# $(PKGLIBDIR), off PATH, and $(BINDIR)/k23 is a relative symlink to k23
# there: the kernel resolves it, so /proc/self/exe names the directory
# holding k23-core and k23-prepare.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
PKGLIBDIR ?= $(PREFIX)/lib/k23
MANDIR    ?= $(PREFIX)/share/man
MANPAGES  := docs/k23.1 docs/k23-policy.5

.PHONY: install uninstall deb

install: $(B)/k23 $(B)/k23-core $(B)/k23-prepare $(B)/k23-remote
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGLIBDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(B)/k23 $(B)/k23-core $(B)/k23-prepare $(B)/k23-remote $(DESTDIR)$(PKGLIBDIR)/
	ln -sfr $(DESTDIR)$(PKGLIBDIR)/k23 $(DESTDIR)$(BINDIR)/k23
	install -m 644 docs/k23.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/k23-policy.5 $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/k23 $(DESTDIR)$(PKGLIBDIR)/k23 $(DESTDIR)$(PKGLIBDIR)/k23-core $(DESTDIR)$(PKGLIBDIR)/k23-prepare $(DESTDIR)$(PKGLIBDIR)/k23-remote \
	  $(DESTDIR)$(MANDIR)/man1/k23.1 $(DESTDIR)$(MANDIR)/man5/k23-policy.5
	-rmdir $(DESTDIR)$(PKGLIBDIR)

# Staged by make install into DEB_OUT/deb/debian/k23 (dpkg-shlibdeps's layout).
DEB_OUT ?= $(B)
deb: $(B)/k23 $(B)/k23-core $(B)/k23-prepare $(B)/k23-remote
	rm -rf $(DEB_OUT)/deb
	$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_OUT))/deb/debian/k23 PREFIX=/usr
	scripts/make-deb $(DEB_OUT)/deb $(K23_VERSION) $(DEB_OUT)
