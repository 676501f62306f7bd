#ifndef RECTIFY_CLIBPQ_SHIM_H
#define RECTIFY_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
