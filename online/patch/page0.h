/* page0.h - the zpoline-style strategy's page 0 (--patch=page0). */
#ifndef K23_PAGE0_H
#define K23_PAGE0_H

/* Maps and fills page 0; 0, or a negative value when it cannot be mapped. */
long k23_page0_setup(void);

#endif
