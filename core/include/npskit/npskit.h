// Umbrella header for the npskit core.
#ifndef NPSKIT_NPSKIT_H
#define NPSKIT_NPSKIT_H

#include "npskit/aggregate.h"
#include "npskit/bands.h"
#include "npskit/columns.h"
#include "npskit/normal.h"
#include "npskit/pasted.h"
#include "npskit/period.h"
#include "npskit/rating.h"
#include "npskit/rating_aggregate.h"
#include "npskit/reader.h"
#include "npskit/response.h"
#include "npskit/result.h"
#include "npskit/stats.h"
#include "npskit/summary.h"
#include "npskit/tally.h"
#include "npskit/themes.h"

#endif  // NPSKIT_NPSKIT_H
