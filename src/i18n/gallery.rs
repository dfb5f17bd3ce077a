//! The built-in scenarios' titles and descriptions in Chinese, keyed by slug. English is the
//! scenario file's own `metadata.title` and `metadata.description` (`crate::gallery`); the tests
//! check that every gallery slug has its Chinese here and that nothing here is left over.

use super::Lang;

/// `(slug, title, description)`, in the gallery's order.
pub(super) const ZH: &[(&str, &str, &str)] = &[
    (
        "liveness-exec",
        "exec 存活探针重启容器",
        "容器创建 /tmp/healthy，30 秒后删除它并继续运行，于是 `cat /tmp/healthy` 开始失败。可以看到间隔 5 秒的三个 Unhealthy 事件、Killing 事件，以及 shell 忽略 SIGTERM 时的 30 秒等待。原文在 `kubectl describe` 中看到的是 `1/1 Running 1 (5s ago) 80s` 和 `Liveness: exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3`。",
    ),
    (
        "liveness-exec-timeout",
        "同一个探针，timeoutSeconds 设为 3",
        "还是那个 exec 存活探针 Pod，只多了一行 `timeoutSeconds: 3`。对比 `kubectl describe` 中的探针一行，原文打印的是 `exec [cat /tmp/healthy] delay=5s timeout=3s period=5s #success=1 #failure=3`。`cat` 会立即返回，所以更长的超时不改变其他任何行为：文件消失后容器照样被重启。",
    ),
    (
        "liveness-http",
        "HTTP 存活探针与不断增长的回退",
        "liveness 服务器在最初 10 秒内对 /healthz 返回 200，之后返回 500，因此每个实例都会在三次探测失败后被杀掉，而 kubelet 每次重启前等待得更久（CrashLoopBackOff）。原文大约两分钟后的 `kubectl describe` 显示 `Restart Count: 3`、`Last State: Terminated, Reason: Error, Exit Code: 2` 以及事件 `Liveness probe failed: HTTP probe failed with statuscode: 500 (x9 over 100s)`。",
    ),
    (
        "liveness-http-httpd",
        "针对 httpd 首页的 HTTP 存活探针",
        "httpd 配置了每 5 秒探测 /index.html 的 HTTP 存活探针，并带上原文的 `X-Custom-Header: Awesome` 请求头。页面存在时探测成功；60 秒时页面被删除，httpd 返回 404，三次失败后 kubelet 重启容器，新容器的文件系统里页面又回来了。RESTARTS 变为 1，Pod 的名称和 IP 保持不变。",
    ),
    (
        "liveness-tcp",
        "针对 telnet 服务器的 TCP 存活探针",
        "一个 Ubuntu 容器安装并在 23 端口启动 telnet 服务器，TCP 存活探针检查该端口能否建立连接。最初 60 秒（initialDelaySeconds）内不做任何探测，之后每 20 秒一次。原文看到 `ubuntu 1/1 Running 0 60s`，用 `-o wide` 查看时 Pod 在 2m13s 仍在运行且没有重启。",
    ),
    (
        "nginx-tcp-liveness",
        "TCP 存活探针，以及一个选不中任何 Pod 的 Service",
        "nginx 配置了 80 端口的 TCP 存活探针：只要有进程在监听就算通过，不管页面返回什么。原文的 Service 选择 `app: myserver-myapp-frontend`，而 Pod 的标签是 `app: myserver-myapp-frontend-label`，所以尽管 Pod 是 `1/1 Running`，`kubectl get endpoints -n myserver` 仍显示 `<none>`。就绪和存活探针只对 Service 真正选中的 Pod 有意义。",
    ),
    (
        "redis-exec-liveness",
        "使用 redis-cli 的 exec 存活探针",
        "redis 配置了原文的 exec 存活探针 `/usr/local/bin/redis-cli quit`，每 3 秒一次；只要服务器接受连接就会通过。60 秒时主进程收到 SIGTERM（`kill 1`）：redis 正常关闭，容器以退出码 0 退出，restartPolicy Always 又把它启动起来。`kubectl describe` 显示一次重启却没有任何 Unhealthy 事件：这次重启不是探针造成的。",
    ),
    (
        "crashloop-backoff",
        "一步步看懂 CrashLoopBackOff",
        "容器一启动就以退出码 1 退出。观察 STATUS 在 `Error`（每次退出后、RESTARTS 加一时）和 `CrashLoopBackOff` 之间交替，kubelet 在下一次启动前依次等待 10s、20s、40s、1m20s、2m40s，最多 5m0s。回退信息出现在 `kubectl describe` 中，形如 `back-off 40s restarting failed container=crash ...`。",
    ),
    (
        "restart-policies",
        "并排对比 Always、OnFailure 和 Never",
        "四个 Pod 运行同一个十秒的脚本，只有退出码和 restartPolicy 不同。`Always` 连正常退出也会重启（先 Completed，再 CrashLoopBackOff）；`OnFailure` 让正常退出停在 `Completed`，但会重启失败的容器；`Never` 让失败的 Pod 停在 `Error`。原文指出 Always 是默认值，也是 Deployment 唯一可用的取值，OnFailure 和 Never 用于 Job 和 CronJob。",
    ),
    (
        "readiness-httpd",
        "就绪探针失败会让 Pod 退出 Service",
        "三个 httpd 副本在 `cat /usr/local/apache2/htdocs/index.html` 成功时处于就绪状态。60 秒时其中一个副本的文件被删除：它变为 `0/1 Running` 但不会重启，它的地址从 `kubectl get endpoints httpd-svc` 中消失。原文随后按名称删除了这个 Pod；由于 Pod 名称是生成的，脚本改为把 Deployment 缩容到 2（ReplicaSet 优先删除未就绪的 Pod）再扩回 3，新的就绪副本让端点数恢复为三个（你也可以用 `kubectl get pods` 显示的名称输入 `kubectl delete pod NAME`）。",
    ),
    (
        "readiness-exec-busybox",
        "就绪探针失败，什么都不会重启",
        "三个 busybox 副本创建 /tmp/healthy，30 秒后删除它并继续运行；这里的探针是就绪探针，不是存活探针。可以看到大约 45 秒时每个副本的 READY 都降为 `0/1`，而 STATUS 仍是 `Running`，RESTARTS 仍为 0：kubelet 只是不再向它们发送流量。原文三分钟后看到三个 Pod 都是 `0/1 Running 0`。",
    ),
    (
        "nginx-readiness-nodeport",
        "nginx 返回 404 并退出 NodePort Service",
        "两个 nginx 副本位于一个 NodePort Service 之后，各自配置了每 3 秒探测 /index.html 的 HTTP 就绪探针。60 秒时删除其中一个副本的 index.html 并重新加载 nginx：探针得到 `HTTP probe failed with statuscode: 404`，该 Pod 变为 `0/1 Running`，Service 的端点中只剩另一个副本。原文看到了同样的 404 事件，流量也只到达健康的 Pod。",
    ),
    (
        "nginx-http-probes",
        "nginx 访问日志中的 HTTP 存活与就绪探测",
        "nginx 同时配置了 HTTP 存活探针和 HTTP 就绪探针，都是每 3 秒探测 /index.html。每次探测都是一次真实请求，所以 `kubectl logs POD -n myserver`（Pod 名称取自 `kubectl get pods -n myserver`）每 3 秒会显示两行 `\"GET /index.html HTTP/1.1\" 200 612 \"-\" \"kube-probe/...\"`，与原文的日志完全一致。",
    ),
    (
        "tcp-liveness-readiness",
        "同时使用 TCP 就绪与存活探针",
        "Kubernetes 文档中的 goproxy 示例：就绪探针和存活探针都连接 8080 端口，都在容器启动 15 秒后开始。可以看到 Pod 一直停在 `0/1 Running`，直到第一次就绪探测成功才变为 `1/1`；之后存活探针每 20 秒通过一次，`kubectl describe` 中没有 Unhealthy 事件。",
    ),
    (
        "grpc-liveness",
        "针对 etcd 的 gRPC 存活探针",
        "Kubernetes 文档中的 gRPC 示例：kubelet 在启动 10 秒后调用 etcd 在 2379 端口上的标准 gRPC 健康检查服务。etcd 回答 `SERVING`，所以 15 秒后的 `kubectl describe` 把探针显示为 `grpc <pod>:2379`，且没有失败。gRPC 探针只能用数字指定端口，也不能设置 host。",
    ),
    (
        "startup-readiness-liveness",
        "同时使用启动、就绪和存活探针",
        "nginx 配置了全部三种探针，都探测 /index.html。启动探针成功之前，另外两种探针不会运行；原文的 `kubectl describe` 把它们列为 `Liveness: http-get http://:80/index.html delay=5s timeout=5s period=3s`，Readiness 相同，以及 `Startup: ... delay=5s timeout=1s period=3s`。60 秒时 index.html 被删除：就绪探针让 Pod 退出 Service，存活探针重启 nginx（从镜像全新启动，index.html 又回来了），新容器在重新就绪之前先要通过启动探针。",
    ),
    (
        "multi-container-liveness",
        "两个容器，其中一个存活探测失败",
        "一个 Pod 运行一个 nginx 容器和一个 redis 容器，各自有自己的存活探针。60 秒时删除 web 容器中的 index.html：它的探针连续三次得到 404，只有这个容器被杀掉并重启（文件系统是全新的）。Pod 的名称和 IP 不变，cache 容器继续运行，重启次数为 0，RESTARTS 只计入这一次重启：正如原文发现的，存活探测失败只会重启容器，而不会重启整个 Pod。",
    ),
    (
        "multi-container-readiness",
        "两个容器，其中一个就绪探测失败",
        "同样的双容器 Pod，这次配置了就绪探针，位于三个 Service 之后：一个包含两个端口，一个只包含 web 端口，一个只包含 cache 端口。60 秒时删除 web 容器的 index.html：Pod 变为 `1/2`，并退出全部三个 Service 的端点，连目标容器仍然就绪的 `web-and-cache-cache` 也不例外，因为端点跟随的是 Pod 的 Ready 状况。2 分钟时文件恢复，Pod 重新回到所有 Service 中；原文的结论与此相同，和它最初的猜测相反。",
    ),
    (
        "init-containers-web-page",
        "Init 容器准备网页",
        "nginx 启动之前，两个 Init 容器依次运行：第一个每秒写一行，共写十行网页内容，第二个修正文件权限。可以看到 STATUS 先是约十秒的 `Init:0/2`，然后是 `Init:1/2`、`PodInitializing` 和 `Running`。原文在 2m39s 时看到 Pod 为 `1/1 Running 0`。",
    ),
    (
        "lifecycle-hooks",
        "postStart 与 preStop 钩子",
        "Tomcat 配置了一个向首页追加一行内容的 postStart 钩子，以及一个运行 `catalina.sh stop` 的 preStop 钩子，宽限期为 60 秒。30 秒时页面上出现 postStart 写入的那一行；60 秒时删除 Pod：它立即变为 `Terminating` 并退出 Service，preStop 钩子在任何 SIGTERM 之前停止 Tomcat，ReplicaSet 则启动一个替代的 Pod。在原文中，这类钩子用于向注册中心注册服务以及从中注销。",
    ),
    (
        "graceful-termination",
        "宽限期：先 SIGTERM，再 SIGKILL",
        "30 秒时删除三个 Pod。nginx 收到停止信号后立即停止，几秒内就消失；busybox 的 `sleep` 作为 PID 1 运行并忽略 SIGTERM，所以它在整整 45 秒的宽限期内保持 `Terminating`，随后被杀掉（退出码 137）；第三个 Pod 用 `--grace-period=5` 删除。正如原文所解释的，正在终止的 Pod 会立即退出 Service 的端点，早于其容器停止。",
    ),
    (
        "nacos-graceful-shutdown",
        "扩缩注册在 Nacos 中的服务",
        "原文中的故障：自动扩缩期间，Service 端点与 Nacos 注册中心不一致，请求被发到尚未启动或已经消失的 Pod。这里给出修复方法：TCP 就绪探针只在新副本的端口能接受连接后才让它加入，preStop 钩子先从 Nacos 注销实例，再睡眠 25 秒后才发送 SIGTERM。可以看到 60 秒扩容后新 Pod 在几秒内加入端点，2 分钟缩容时被移除的 Pod 立即退出端点，同时保持 `Terminating` 25 秒。",
    ),
    (
        "statefulset-headless",
        "StatefulSet 及其 Headless Service",
        "三个名称稳定的 nginx Pod：`myserver-myapp-0`、`-1` 和 `-2`，严格按顺序创建：每个都要等前一个 Running 且 Ready，正如原文中 5s、4s 和 2s 的 AGE 所示。Headless Service（`clusterIP: None`）为每个 Pod 提供一个 DNS 名称，例如 `myserver-myapp-0.myserver-myapp-service.myserver.svc`。60 秒时删除 `myserver-myapp-1`，它以同样的名称回来；90 秒时扩容到 5，2 分钟时再从序号最大的开始缩回 3。",
    ),
    (
        "daemonset-node-exporter",
        "DaemonSet 在每个节点上运行一个 Pod",
        "Prometheus node-exporter 以 DaemonSet 形式运行在原文的六个节点上：每个节点一个 Pod，名称为 `node-exporter-` 加五个随机字符，几秒内全部 `1/1 Running`。由于设置了 `hostNetwork: true`，每个 Pod 使用所在节点的地址，正如原文 `-o wide` 的输出所示（IP 与 NODE 相同）。60 秒时删除所有 Pod，DaemonSet 在每个节点上启动一个名称不同的新 Pod。",
    ),
    (
        "status-pending-unschedulable",
        "Pending（Unschedulable）：没有节点匹配该 Pod",
        "Pod 要求带有 disktype=ssd 标签的节点，但没有节点带这个标签，所以调度器让它停在 Pending，产生 FailedScheduling 事件，状况为 PodScheduled=False、原因 Unschedulable。给节点打标签是调度器会响应的集群变化：Pod 会立即被调度并启动。",
    ),
    (
        "status-container-creating",
        "ContainerCreating：卷所用的 ConfigMap 尚不存在",
        "kubelet 在创建任何容器之前先准备 Pod 的卷。这个 Pod 挂载了一个不存在的 ConfigMap，所以它停在 ContainerCreating，并产生 FailedMount 事件，按倍增的回退时间重试。40 秒时创建该 ConfigMap，下一次挂载便会成功，Pod 随之启动。",
    ),
    (
        "status-init",
        "Init:0/2、Init:1/2 和 PodInitializing：Init 容器",
        "两个 Init 容器必须依次以 0 退出，应用容器才会启动。第一个运行时 Pod 显示 Init:0/2，第二个运行时显示 Init:1/2；两者都完成、应用容器正在启动时显示 PodInitializing，然后是 Running。",
    ),
    (
        "status-init-error",
        "Init:Error 和 Init:CrashLoopBackOff：失败的 Init 容器",
        "以非零退出的 Init 容器会像其他容器一样按回退时间重启，因为 Pod 的 restartPolicy 是 Always。Pod 在 Init:Error 和 Init:CrashLoopBackOff 之间交替，应用容器永远不会启动。",
    ),
    (
        "status-image-pull",
        "ErrImagePull 和 ImagePullBackOff：不存在的标签",
        "nginx:1.27.99 不是 nginx 仓库中的标签，所以拉取失败，containerd 报 \"not found\" 错误：Pod 先显示 ErrImagePull，然后在 kubelet 等待 10 s、20 s、40 s ……再次拉取期间显示 ImagePullBackOff。容器从未被创建，所以 RESTARTS 保持为 0，阶段保持为 Pending。",
    ),
    (
        "status-invalid-image-name",
        "InvalidImageName：kubelet 无法解析的镜像引用",
        "仓库名必须是小写的。API 服务器接受任何镜像字符串，但 kubelet 无法把 NGINX:1.27 解析为镜像引用，所以永远不会去拉取：Pod 显示 InvalidImageName，并产生 InspectFailed 事件，一直处于 Pending。",
    ),
    (
        "status-err-image-never-pull",
        "ErrImageNeverPull：拉取策略为 Never，节点上没有镜像",
        "imagePullPolicy 为 Never 时，kubelet 只使用节点上已有的镜像。myorg/shop:dev 是一个从未加载到节点上的本地构建，所以容器无法创建：ErrImageNeverPull，每次同步都会重试，但从不拉取。",
    ),
    (
        "status-create-container-config-error",
        "CreateContainerConfigError：缺少 ConfigMap 的键",
        "容器的环境变量读取 ConfigMap app-config 的一个键，而该 ConfigMap 不存在。kubelet 无法构建容器的配置，所以 Pod 显示 CreateContainerConfigError，并在每次同步时重试；1 m 时创建该 ConfigMap 后，下一次尝试便启动了容器。",
    ),
    (
        "status-run-container-error",
        "RunContainerError：镜像中没有该命令",
        "busybox 中没有 bash，所以 runc 无法启动容器的进程。启动以退出码 128（原因 StartError）失败，并带有 runc 的 \"no such file or directory\" 信息。Pod 先显示 RunContainerError，然后是 CrashLoopBackOff，且从未记录 Started 事件。",
    ),
    (
        "status-completed-error",
        "Completed 与 Error：运行结束、不再重启的容器",
        "restartPolicy 为 Never 时，运行结束的容器不会被重启。退出码 0 让 Pod 停在 Completed（阶段 Succeeded）；非零退出让它停在 Error（阶段 Failed）。两者的 READY 都是 0/1。",
    ),
    (
        "status-crashloopbackoff",
        "CrashLoopBackOff：不断退出的容器",
        "容器每次启动片刻后就以 1 退出。kubelet 以 10 s、20 s、40 s ……直到 5 分钟的回退时间重启它；两次重启之间 Pod 显示 CrashLoopBackOff，刚退出时显示 Error，RESTARTS 计入每一次重启。",
    ),
    (
        "status-oomkilled",
        "OOMKilled：超出内存限制的容器",
        "Kubernetes 文档中的 memory-demo-2：stress 在 100Mi 的限制下分配 250M 内存，所以内核立即杀掉容器（退出码 137，原因 OOMKilled）。每次被杀后 Pod 显示 OOMKilled，kubelet 等待重启期间显示 CrashLoopBackOff。",
    ),
    (
        "status-terminating",
        "Terminating：用满整个宽限期的 Pod",
        "容器的进程作为 PID 1 运行且没有 SIGTERM 处理程序，所以内核不会递送该信号。20 s 时执行删除后，Pod 在整整 30 秒的宽限期内保持 Terminating，直到 kubelet 发送 SIGKILL，然后消失。",
    ),
    (
        "exercise-readiness-missing-file",
        "练习：让 Web Pod 就绪",
        "三个 nginx 副本在运行，但没有一个就绪过，所以它们的 Service 没有端点。根据探针的事件找出原因并修复就绪探针，探针本身要保留。任务会检查每个副本在 30 秒内就绪并保持就绪。",
    ),
    (
        "exercise-slow-start",
        "练习：让启动缓慢的 Java 应用启动起来",
        "一个 Tomcat 应用需要大约 90 秒完成部署才能响应，但它的存活探针 30 秒后就放弃并杀掉它，周而复始。添加一个启动探针，让它撑过启动阶段，同时不能让启动之后的挂起更久才被发现：4 分钟时应用不再响应健康检查，kubelet 必须在一分钟内重启它。",
    ),
    (
        "exercise-restart-one-container",
        "练习：只重启出故障的容器",
        "一个 Pod 同时运行 nginx 和一个 Redis 缓存。60 秒时网页被删除，两个容器都被重启，因为缓存容器的存活探针检查的是 Web 服务器而不是 Redis。给每个容器配置只检查自身的存活探针，让只有 Web 容器重启，缓存保留其数据。",
    ),
    (
        "exercise-keep-serving",
        "练习：恢复页面期间持续提供服务",
        "一个 httpd StatefulSet 在 Service 后提供一个页面，并对该页面配置了就绪探针。60 秒时 web-0 中的页面被删除，2 分钟时恢复，这一分钟内 Service 完全没有端点。修改这个 StatefulSet，让 Service 始终有一个就绪的副本，同时 web-0 在页面缺失时仍会退出 Service。",
    ),
    (
        "exercise-probe-timeout",
        "练习：会超时的存活探针",
        "探针文章中的 exec 存活探针 Pod，其检查需要两秒才能返回，而超时是默认的一秒。每次探测都会超时，所以 kubelet 一遍又一遍地重启一个健康的容器。修复这个探针，让容器不受打扰地运行，但在 2 分钟时 /tmp/healthy 被删除后仍会被重启。",
    ),
];

fn zh(slug: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    ZH.iter().find(|(s, _, _)| *s == slug)
}

/// A built-in scenario's title in a language; `None` for a slug that is not in the gallery.
pub fn scenario_title(slug: &str, lang: Lang) -> Option<&'static str> {
    let entry = crate::gallery::find(slug)?;
    match lang {
        Lang::En => Some(entry.title),
        Lang::ZhCn => Some(zh(slug).map_or(entry.title, |(_, title, _)| title)),
    }
}

/// A built-in scenario's description in a language; `None` for a slug that is not in the gallery.
pub fn scenario_description(slug: &str, lang: Lang) -> Option<&'static str> {
    let entry = crate::gallery::find(slug)?;
    match lang {
        Lang::En => Some(entry.description),
        Lang::ZhCn => Some(zh(slug).map_or(entry.description, |(_, _, description)| description)),
    }
}
