/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_MODEL_VDEV_H
#define EP_MODEL_VDEV_H

/**
 * @file
 * The simulated endpoint vdev (dma_dw_edma_sim<N>): the endpoint model
 * behind each such device, for applications and tests that inspect it
 * (violations, engine counters) or inject faults.
 */

#include "ep_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The endpoint model a dma_dw_edma_sim vdev drives (made by the vdev, or
 * made by the application and attached to).
 *
 * @param vdev_name
 *   Name of the vdev, e.g. "dma_dw_edma_sim0".
 * @return
 *   The model, or NULL when no such vdev is probed in this process (in a
 *   secondary process the model lives in the primary: NULL).
 */
struct ep_model *ep_model_vdev_model(const char *vdev_name);

#ifdef __cplusplus
}
#endif

#endif /* EP_MODEL_VDEV_H */
