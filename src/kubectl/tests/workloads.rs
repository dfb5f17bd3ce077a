//! Tests of `kubectl get` and `kubectl describe` for workloads and Services, and of `-o json` and
//! `-o yaml`, over seed 000's httpd Deployment and Service.

use super::*;

/// Seed 000's httpd Deployment and Service, with one replica unready and two more Services.
fn httpd_store() -> ApiStore {
    let mut api = store(vec![]);
    let ready = |name: &str, ip: &str, node: &str, ready: bool| {
        pod(&format!("metadata:
  name: {name}
  namespace: default
  creationTimestamp: {{t0}}
  labels: {{app: httpd, pod-template-hash: 564dc969bb}}
  ownerReferences:
  - {{apiVersion: apps/v1, kind: ReplicaSet, name: httpd-deployment-564dc969bb, uid: rs-uid, controller: true}}
spec:
  nodeName: {node}
  containers:
  - name: httpd
    image: httpd
    ports: [{{containerPort: 80, protocol: TCP}}]
status:
  phase: Running
  podIP: {ip}
  podIPs: [{{ip: {ip}}}]
  containerStatuses:
  - {{name: httpd, image: httpd, imageID: '', ready: {ready}, restartCount: 0, state: {{running: {{startedAt: {{t0}}}}}}}}
"))
    };
    for p in [
        ready("httpd-deployment-564dc969bb-k4sbr", "10.244.1.3", "k8s-worker1", false),
        ready("httpd-deployment-564dc969bb-qhdd6", "10.244.2.2", "k8s-worker2", true),
        ready("httpd-deployment-564dc969bb-wxqt7", "10.244.1.4", "k8s-worker1", true),
    ] {
        api.pods.insert(api::key_of(&p.metadata), p);
    }
    let template = "    metadata:
      labels: {app: httpd}
    spec:
      containers:
      - name: httpd
        image: httpd
        ports: [{containerPort: 80, protocol: TCP}]
        readinessProbe:
          exec:
            command: [cat, /usr/local/apache2/htdocs/index.html]
          initialDelaySeconds: 5
          periodSeconds: 5
          timeoutSeconds: 1
          successThreshold: 1
          failureThreshold: 3";
    let deploy: k8s_openapi::api::apps::v1::Deployment = serde_yaml::from_str(&format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: httpd-deployment, namespace: default, uid: deploy-uid, creationTimestamp: '{}'}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: httpd}}}}
  strategy: {{type: RollingUpdate, rollingUpdate: {{maxUnavailable: 25%, maxSurge: 25%}}}}
  template:
{template}
status:
  replicas: 3
  updatedReplicas: 3
  readyReplicas: 2
  availableReplicas: 2
  unavailableReplicas: 1
  conditions:
  - {{type: Progressing, status: 'True', reason: NewReplicaSetAvailable}}
  - {{type: Available, status: 'True', reason: MinimumReplicasAvailable}}
",
        at(0)
    ))
    .unwrap();
    let rs: k8s_openapi::api::apps::v1::ReplicaSet = serde_yaml::from_str(&format!(
        "apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: httpd-deployment-564dc969bb
  namespace: default
  uid: rs-uid
  creationTimestamp: '{}'
  labels: {{app: httpd, pod-template-hash: 564dc969bb}}
  ownerReferences:
  - {{apiVersion: apps/v1, kind: Deployment, name: httpd-deployment, uid: deploy-uid, controller: true}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: httpd, pod-template-hash: 564dc969bb}}}}
  template:
{}
status: {{replicas: 3, readyReplicas: 2, availableReplicas: 2}}
",
        at(0),
        template.replace("labels: {app: httpd}", "labels: {app: httpd, pod-template-hash: 564dc969bb}")
    ))
    .unwrap();
    api.deployments.insert(api::key_of(&deploy.metadata), deploy);
    api.replica_sets.insert(api::key_of(&rs.metadata), rs);
    let svc = |yaml: &str| -> k8s_openapi::api::core::v1::Service {
        serde_yaml::from_str(&format!("apiVersion: v1\nkind: Service\n{}", yaml.replace("{t0}", &at(0))))
            .unwrap()
    };
    for s in [
        svc("metadata: {name: httpd-svc, namespace: default, creationTimestamp: '{t0}'}
spec:
  type: ClusterIP
  clusterIP: 10.96.114.43
  clusterIPs: [10.96.114.43]
  selector: {app: httpd}
  ports: [{protocol: TCP, port: 8080, targetPort: 80}]"),
        svc("metadata: {name: web-nodeport, namespace: default, creationTimestamp: '{t0}'}
spec:
  type: NodePort
  clusterIP: 10.96.0.20
  clusterIPs: [10.96.0.20]
  selector: {app: web}
  ports: [{name: http, protocol: TCP, port: 80, targetPort: 80, nodePort: 30080}]"),
        svc("metadata: {name: headless, namespace: default, creationTimestamp: '{t0}'}
spec:
  clusterIP: None
  clusterIPs: [None]
  selector: {app: db}
  ports: [{name: http, protocol: TCP, port: 80, targetPort: 80}]"),
    ] {
        api.services.insert(api::key_of(&s.metadata), s);
    }
    let ep = |yaml: &str| -> k8s_openapi::api::core::v1::Endpoints {
        serde_yaml::from_str(&format!("apiVersion: v1\nkind: Endpoints\n{}", yaml.replace("{t0}", &at(0))))
            .unwrap()
    };
    for e in [
        ep("metadata: {name: httpd-svc, namespace: default, creationTimestamp: '{t0}'}
subsets:
- addresses: [{ip: 10.244.2.2}, {ip: 10.244.1.4}]
  notReadyAddresses: [{ip: 10.244.1.3}]
  ports: [{port: 80, protocol: TCP}]"),
        ep("metadata: {name: web-nodeport, namespace: default, creationTimestamp: '{t0}'}
subsets:
- addresses: [{ip: 10.244.1.10}, {ip: 10.244.1.11}, {ip: 10.244.2.10}, {ip: 10.244.2.11}, {ip: 10.244.2.12}]
  ports: [{name: http, port: 80, protocol: TCP}]"),
        ep("metadata: {name: headless, namespace: default, creationTimestamp: '{t0}'}
subsets:
- notReadyAddresses: [{ip: 10.244.1.20}]
  ports: [{name: http, port: 80, protocol: TCP}]"),
    ] {
        api.endpoints.insert(api::key_of(&e.metadata), e);
    }
    api.events.push(event(
        "Deployment",
        "httpd-deployment",
        "Normal",
        "ScalingReplicaSet",
        "Scaled up replica set httpd-deployment-564dc969bb from 0 to 3",
        1,
        0,
        0,
        "deployment-controller",
    ));
    api
}

#[test]
fn workload_and_service_tables() {
    check(
        &httpd_store(),
        231,
        &[
            "kubectl get deployments.apps httpd-deployment",
            "kubectl get deploy -o wide",
            "kubectl get rs",
            "kubectl get svc",
            "kubectl get svc -o wide headless",
            "kubectl get endpoints",
            "kubectl get endpointslices",
            "kubectl get pod -l app=httpd -o wide",
            "kubectl get pods -l 'app in (nginx)'",
            "kubectl get nodes",
            "kubectl get no -o wide",
            "kubectl get sts",
        ],
        expect![[r#"
            $ kubectl get deployments.apps httpd-deployment
            NAME               READY   UP-TO-DATE   AVAILABLE   AGE
            httpd-deployment   2/3     3            2           3m51s
            $ kubectl get deploy -o wide
            NAME               READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS   IMAGES   SELECTOR
            httpd-deployment   2/3     3            2           3m51s   httpd        httpd    app=httpd
            $ kubectl get rs
            NAME                          DESIRED   CURRENT   READY   AGE
            httpd-deployment-564dc969bb   3         3         2       3m51s
            $ kubectl get svc
            NAME           TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE
            headless       ClusterIP   None           <none>        80/TCP         3m51s
            httpd-svc      ClusterIP   10.96.114.43   <none>        8080/TCP       3m51s
            web-nodeport   NodePort    10.96.0.20     <none>        80:30080/TCP   3m51s
            $ kubectl get svc -o wide headless
            NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE     SELECTOR
            headless   ClusterIP   None         <none>        80/TCP    3m51s   app=db
            $ kubectl get endpoints
            Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice
            NAME           ENDPOINTS                                                  AGE
            headless                                                                  3m51s
            httpd-svc      10.244.2.2:80,10.244.1.4:80                                3m51s
            web-nodeport   10.244.1.10:80,10.244.1.11:80,10.244.2.10:80 + 2 more...   3m51s
            $ kubectl get endpointslices
            NAME                 ADDRESSTYPE   PORTS   ENDPOINTS                                         AGE
            headless-dzvkt       IPv4          80      10.244.1.20                                       3m51s
            httpd-svc-g58q2      IPv4          80      10.244.2.2,10.244.1.4,10.244.1.3                  3m51s
            web-nodeport-p5kcv   IPv4          80      10.244.1.10,10.244.1.11,10.244.2.10 + 2 more...   3m51s
            $ kubectl get pod -l app=httpd -o wide
            NAME                                READY   STATUS    RESTARTS   AGE     IP           NODE          NOMINATED NODE   READINESS GATES
            httpd-deployment-564dc969bb-k4sbr   0/1     Running   0          3m51s   10.244.1.3   k8s-worker1   <none>           <none>
            httpd-deployment-564dc969bb-qhdd6   1/1     Running   0          3m51s   10.244.2.2   k8s-worker2   <none>           <none>
            httpd-deployment-564dc969bb-wxqt7   1/1     Running   0          3m51s   10.244.1.4   k8s-worker1   <none>           <none>
            $ kubectl get pods -l 'app in (nginx)'
            No resources found in default namespace.
            $ kubectl get nodes
            NAME          STATUS   ROLES    AGE     VERSION
            k8s-worker1   Ready    <none>   3m51s   v1.34.1
            k8s-worker2   Ready    <none>   3m51s   v1.34.1
            $ kubectl get no -o wide
            NAME          STATUS   ROLES    AGE     VERSION   INTERNAL-IP       EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION       CONTAINER-RUNTIME
            k8s-worker1   Ready    <none>   3m51s   v1.34.1   192.168.147.101   <none>        Ubuntu 22.04.5 LTS   5.15.0-153-generic   containerd://1.7.27
            k8s-worker2   Ready    <none>   3m51s   v1.34.1   192.168.147.102   <none>        Ubuntu 22.04.5 LTS   5.15.0-153-generic   containerd://1.7.27
            $ kubectl get sts
            No resources found in default namespace.
        "#]],
    );
}

#[test]
fn describe_workloads_and_services() {
    check(
        &httpd_store(),
        231,
        &[
            "kubectl describe deploy httpd-deployment",
            "kubectl describe rs",
            "kubectl describe svc httpd-svc",
            "kubectl describe svc web-nodeport headless",
            "kubectl describe ep httpd-svc",
            "kubectl describe svc nope",
        ],
        expect![[r#"
            $ kubectl describe deploy httpd-deployment
            Name:                   httpd-deployment
            Namespace:              default
            CreationTimestamp:      Mon, 01 Sep 2025 09:00:00 +0000
            Labels:                 <none>
            Annotations:            <none>
            Selector:               app=httpd
            Replicas:               3 desired | 3 updated | 3 total | 2 available | 1 unavailable
            StrategyType:           RollingUpdate
            MinReadySeconds:        0
            RollingUpdateStrategy:  25% max unavailable, 25% max surge
            Pod Template:
              Labels:  app=httpd
              Containers:
               httpd:
                Image:         httpd
                Port:          80/TCP
                Host Port:     0/TCP
                Readiness:     exec [cat /usr/local/apache2/htdocs/index.html] delay=5s timeout=1s period=5s #success=1 #failure=3
                Environment:   <none>
                Mounts:        <none>
              Volumes:         <none>
              Node-Selectors:  <none>
              Tolerations:     <none>
            Conditions:
              Type           Status  Reason
              ----           ------  ------
              Progressing    True    NewReplicaSetAvailable
              Available      True    MinimumReplicasAvailable
            OldReplicaSets:  <none>
            NewReplicaSet:   httpd-deployment-564dc969bb (3/3 replicas created)
            Events:
              Type    Reason             Age    From                   Message
              ----    ------             ----   ----                   -------
              Normal  ScalingReplicaSet  3m51s  deployment-controller  Scaled up replica set httpd-deployment-564dc969bb from 0 to 3
            $ kubectl describe rs
            Name:           httpd-deployment-564dc969bb
            Namespace:      default
            Selector:       app=httpd,pod-template-hash=564dc969bb
            Labels:         app=httpd
                            pod-template-hash=564dc969bb
            Annotations:    <none>
            Controlled By:  Deployment/httpd-deployment
            Replicas:       3 current / 3 desired
            Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed
            Pod Template:
              Labels:  app=httpd
                       pod-template-hash=564dc969bb
              Containers:
               httpd:
                Image:         httpd
                Port:          80/TCP
                Host Port:     0/TCP
                Readiness:     exec [cat /usr/local/apache2/htdocs/index.html] delay=5s timeout=1s period=5s #success=1 #failure=3
                Environment:   <none>
                Mounts:        <none>
              Volumes:         <none>
              Node-Selectors:  <none>
              Tolerations:     <none>
            Events:            <none>
            $ kubectl describe svc httpd-svc
            Name:                     httpd-svc
            Namespace:                default
            Labels:                   <none>
            Annotations:              <none>
            Selector:                 app=httpd
            Type:                     ClusterIP
            IP Family Policy:         SingleStack
            IP Families:              IPv4
            IP:                       10.96.114.43
            IPs:                      10.96.114.43
            Port:                     <unset>  8080/TCP
            TargetPort:               80/TCP
            Endpoints:                10.244.2.2:80,10.244.1.4:80
            Session Affinity:         None
            Internal Traffic Policy:  Cluster
            Events:                   <none>
            $ kubectl describe svc web-nodeport headless
            Name:                     web-nodeport
            Namespace:                default
            Labels:                   <none>
            Annotations:              <none>
            Selector:                 app=web
            Type:                     NodePort
            IP Family Policy:         SingleStack
            IP Families:              IPv4
            IP:                       10.96.0.20
            IPs:                      10.96.0.20
            Port:                     http  80/TCP
            TargetPort:               80/TCP
            NodePort:                 http  30080/TCP
            Endpoints:                10.244.1.10:80,10.244.1.11:80,10.244.2.10:80 + 2 more...
            Session Affinity:         None
            External Traffic Policy:  Cluster
            Internal Traffic Policy:  Cluster
            Events:                   <none>


            Name:                     headless
            Namespace:                default
            Labels:                   <none>
            Annotations:              <none>
            Selector:                 app=db
            Type:                     ClusterIP
            IP Family Policy:         SingleStack
            IP Families:              IPv4
            IP:                       None
            IPs:                      None
            Port:                     http  80/TCP
            TargetPort:               80/TCP
            Endpoints:                
            Session Affinity:         None
            Internal Traffic Policy:  Cluster
            Events:                   <none>
            $ kubectl describe ep httpd-svc
            Name:         httpd-svc
            Namespace:    default
            Labels:       <none>
            Annotations:  <none>
            Subsets:
              Addresses:          10.244.2.2,10.244.1.4
              NotReadyAddresses:  10.244.1.3
              Ports:
                Name     Port  Protocol
                ----     ----  --------
                <unset>  80    TCP

            Events:  <none>
            $ kubectl describe svc nope
            Error from server (NotFound): services "nope" not found
            [exit 1]
        "#]],
    );
}

#[test]
fn machine_readable_output() {
    let p = pod("metadata: {name: tiny, namespace: default, creationTimestamp: {t0}, labels: {app: x}}\nspec:\n  containers:\n  - {name: c, image: busybox}\n");
    check(
        &store(vec![p]),
        5,
        &["kubectl get pod tiny -o yaml", "kubectl get pods -o json", "kubectl get svc -o yaml"],
        expect![[r#"
            $ kubectl get pod tiny -o yaml
            apiVersion: v1
            kind: Pod
            metadata:
              creationTimestamp: "2025-09-01T09:00:00Z"
              labels:
                app: x
              name: tiny
              namespace: default
            spec:
              containers:
              - image: busybox
                name: c
            $ kubectl get pods -o json
            {
                "apiVersion": "v1",
                "items": [
                    {
                        "apiVersion": "v1",
                        "kind": "Pod",
                        "metadata": {
                            "creationTimestamp": "2025-09-01T09:00:00Z",
                            "labels": {
                                "app": "x"
                            },
                            "name": "tiny",
                            "namespace": "default"
                        },
                        "spec": {
                            "containers": [
                                {
                                    "image": "busybox",
                                    "name": "c"
                                }
                            ]
                        }
                    }
                ],
                "kind": "List",
                "metadata": {
                    "resourceVersion": ""
                }
            }
            $ kubectl get svc -o yaml
            apiVersion: v1
            items: []
            kind: List
            metadata:
              resourceVersion: ""
        "#]],
    );
}
