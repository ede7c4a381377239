/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_PCI_LOG_H
#define EP_PCI_LOG_H

/* Log type "ep_model_pci", shared by the files of this directory. */

#include <rte_log.h>

extern int ep_pci_logtype;
#define EP_PCI_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, ep_pci_logtype, "ep_model_pci: " fmt "\n", ##__VA_ARGS__)

#endif /* EP_PCI_LOG_H */
