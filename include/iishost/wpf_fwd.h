/*
 * iishost/wpf_fwd.h - the worker process framework interfaces by name only,
 * for httpserv.h (IHttpServer passes them by pointer) and wpframework.h.
 */
#ifndef IISHOST_WPF_FWD_H
#define IISHOST_WPF_FWD_H

#ifdef __cplusplus
struct IWpfSettings;
struct IWorkerProcessFramework;
#else
typedef struct IWpfSettings IWpfSettings;
typedef struct IWorkerProcessFramework IWorkerProcessFramework;
#endif

#endif /* IISHOST_WPF_FWD_H */
