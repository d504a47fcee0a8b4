using System.Text;
using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>Kubernetes manifests applied as they are: Deployment, Service, ConfigMap, Secret; other kinds refused by name.</summary>
[Trait("Category", "Unit")]
public class KubernetesTranslationTests
{
    private static LoadResult K8s(string yaml, bool ignore = false) =>
        ManifestLoader.Load([new ManifestFile { Name = "k8s.yaml", Content = yaml }], new TranslationOptions { IgnoreUnsupported = ignore });

    private static LoadResult Example(string name) =>
        ManifestLoader.Load([new ManifestFile { Name = name, Content = File.ReadAllText(Path.Combine(ManifestFiles.RepositoryRoot(), "examples/kubernetes", name)) }]);

    [Fact]
    public void The_docs_nginx_deployment_is_a_service_of_three_replicas()
    {
        var result = Example("nginx-deployment.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var nginx = Assert.Single(result.Services);
        Assert.Equal(("default", "nginx-deployment", "local/web:1", 3), (nginx.Metadata.Namespace, nginx.Metadata.Name, nginx.Spec.Image, nginx.Spec.Replicas));
        Assert.Equal("nginx", nginx.Metadata.Labels["app"]);
        Assert.Equal(8080, Assert.Single(nginx.Spec.Ports).ContainerPort);
    }

    [Fact]
    public void A_service_joins_the_deployment_it_selects_and_configmaps_and_secrets_are_ours()
    {
        var result = Example("nginx-service.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var service = Assert.Single(result.Services);
        Assert.Equal(("my-nginx", 2), (service.Metadata.Name, service.Spec.Replicas));
        Assert.Equal([8080], service.Spec.Ports.Select(p => p.ContainerPort));
        Assert.Equal("hello", Assert.Single(result.Configs).Data["greeting"]);
        Assert.Equal("s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(Assert.Single(result.Secrets).Data["password"])));
    }

    private static string Deployment(params string[] container) => Lines([
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: api, namespace: shop, annotations: {note: x}}",
        "spec:",
        "  replicas: 2",
        "  minReadySeconds: 5",
        "  progressDeadlineSeconds: 120",
        "  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: \"25%\"}}",
        "  selector: {matchLabels: {app: api}}",
        "  template:",
        "    metadata: {labels: {app: api, tier: back}}",
        "    spec:",
        "      terminationGracePeriodSeconds: 20",
        "      nodeSelector: {zone: a}",
        "      tolerations: [{key: dedicated, operator: Exists}]",
        "      containers:",
        "      - name: api",
        .. container]);

    [Fact]
    public void A_deployment_maps_its_container_resources_probes_strategy_and_placement()
    {
        var result = K8s(Deployment(
            "        image: local/web:1",
            "        imagePullPolicy: IfNotPresent",
            "        command: [/bin/busybox]",
            "        args: [httpd, -f]",
            "        env: [{name: MODE, value: fast}]",
            "        ports: [{containerPort: 8080, name: http}]",
            "        resources: {requests: {cpu: 100m, memory: 32Mi}, limits: {memory: 64Mi}}",
            "        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 2}",
            "        securityContext: {runAsUser: 1000}"));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var api = Assert.Single(result.Services);
        Assert.Equal(("shop", "api", 2), (api.Metadata.Namespace, api.Metadata.Name, api.Spec.Replicas));
        Assert.Equal(new Dictionary<string, string> { ["app"] = "api", ["tier"] = "back" }, api.Metadata.Labels);
        Assert.Equal(["/bin/busybox"], api.Spec.Command!);
        Assert.Equal(["httpd", "-f"], api.Spec.Args!);
        Assert.Equal("fast", api.Spec.Env["MODE"]);
        Assert.Equal(("100m", "64Mi"), (api.Spec.Resources.Cpu, api.Spec.Resources.Memory));
        Assert.Equal(2, api.Spec.ReadinessProbe!.PeriodSeconds);
        Assert.Equal(1000, api.Spec.SecurityContext!.RunAsUser);
        Assert.Equal(("20s", "1", "25%", 5, "2m"), (api.Spec.StopGracePeriod, api.Spec.UpdateStrategy!.MaxSurge, api.Spec.UpdateStrategy.MaxUnavailable,
            api.Spec.UpdateStrategy.MinReadySeconds, api.Spec.UpdateStrategy.ProgressDeadline));
        Assert.Equal("a", api.Spec.Placement!.NodeSelector["zone"]);
        Assert.Equal("dedicated", Assert.Single(api.Spec.Placement.Tolerations).Key);
    }

    private const string Svc = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n";

    [Theory]
    [InlineData("StatefulSet", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {}", 2, 7, "kind: apps/v1 StatefulSet is not supported; supported: apps/v1 Deployment, v1 Service, v1 ConfigMap, v1 Secret")]
    [InlineData("DaemonSet", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: db}", 2, 7, "kind: apps/v1 DaemonSet is not supported")]
    [InlineData("NodePort without a nodePort", Svc + "  type: NodePort\n  selector: {app: web}\n  ports: [{port: 8080}]", 7, 11, "spec.ports[0].nodePort: required with type NodePort: the port to open on every node, 30000 to 32767")]
    [InlineData("nodePort on a ClusterIP", Svc + "  selector: {app: web}\n  ports: [{port: 8080, nodePort: 30080}]", 6, 24, "spec.ports[0].nodePort: only with spec.type NodePort")]
    [InlineData("nodePort out of range", Svc + "  type: NodePort\n  selector: {app: web}\n  ports: [{port: 8080, nodePort: 99999999999}]", 7, 34, "spec.ports[0].publishedPort: ")]
    [InlineData("LoadBalancer", Svc + "  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 8080}]", 5, 9, "spec.type: LoadBalancer is not supported")]
    [InlineData("no deployment", Svc + "  selector: {app: other}\n  ports: [{port: 8080}]", 5, 13, "spec.selector: selects no Deployment of this file")]
    [InlineData("remapped port", Svc + "  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]", 6, 18, "spec.ports[0].port: port 80 differs from targetPort 8080")]
    [InlineData("named target", Svc + "  selector: {app: web}\n  ports: [{port: 80, targetPort: web}]", 6, 34, "spec.ports[0].targetPort: no container port is named \"web\"")]
    [InlineData("host network", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      hostNetwork: true\n      containers: [{name: x, image: local/web:1}]", 9, 7, "spec.template.spec.hostNetwork: the host's network namespace is refused")]
    [InlineData("selector mismatch", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: c}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: x, image: local/web:1}]", 5, 28, "spec.selector.matchLabels.a: the pod template's labels must carry")]
    [InlineData("our validator", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: -1\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: x, image: local/web:1}]", 5, 13, "spec.replicas: must be a whole number >= 0")]
    [InlineData("claim volume", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      volumes: [{name: d, persistentVolumeClaim: {claimName: c}}]\n      containers: [{name: x, image: local/web:1}]", 9, 27, "spec.template.spec.volumes[0].persistentVolumeClaim: a PersistentVolumeClaim is not supported")]
    [InlineData("hostPath volume", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      volumes: [{name: d, hostPath: {path: /etc}}]\n      containers: [{name: x, image: local/web:1}]", 9, 27, "spec.template.spec.volumes[0].hostPath: hostPath is refused")]
    [InlineData("PersistentVolumeClaim", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {}", 2, 7, "kind: v1 PersistentVolumeClaim is not supported; supported: apps/v1 Deployment, v1 Service, v1 ConfigMap, v1 Secret (docs/compat.md). a PersistentVolumeClaim is not supported: storage here belongs to its service")]
    [InlineData("fieldRef", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: x, image: local/web:1, env: [{name: N, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]}]", 9, 78, "spec.template.spec.containers[0].env[0].valueFrom.fieldRef: \"fieldRef\" is not supported")]
    [InlineData("configmap binaryData", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nbinaryData: {a: AA==}", 4, 1, "binaryData: \"binaryData\" is not supported")]
    public void Refusals_name_the_kind_or_key_at_its_line_and_column(string name, string yaml, int row, int column, string wanted)
    {
        var web = "\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web-d}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: local/web:1, ports: [{containerPort: 8080}]}]";
        var result = K8s(yaml + (yaml.StartsWith(Svc, StringComparison.Ordinal) ? web : ""));

        Assert.False(result.Ok, name);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("k8s.yaml", row, column), (error.File, error.Line, error.Column));
        Assert.StartsWith(wanted, $"{error.Path}: {error.Message}");
    }

    [Fact]
    public void The_statefulset_example_is_refused_by_name()
    {
        var error = Assert.Single(Example("statefulset.yaml").Errors);

        Assert.Equal("statefulset.yaml:3:7 kind: apps/v1 StatefulSet is not supported; supported: apps/v1 Deployment, v1 Service, v1 ConfigMap, v1 Secret (docs/compat.md)", error.ToString());
    }

    [Fact]
    public void Our_own_documents_beside_kubernetes_ones_are_read_as_they_are()
    {
        var result = K8s(Service("plain") + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal("plain", Assert.Single(result.Services).Metadata.Name);
        Assert.Equal("c", Assert.Single(result.Configs).Metadata.Name);
    }
}

/// <summary>Kubernetes' NodePort, pod volumes, volumeMounts and env valueFrom as ours (docs/compat.md).</summary>
[Trait("Category", "Unit")]
public class KubernetesNodePortAndVolumeTests
{
    private static LoadResult K8s(string yaml, bool ignore = false) =>
        ManifestLoader.Load([new ManifestFile { Name = "k8s.yaml", Content = yaml }], new TranslationOptions { IgnoreUnsupported = ignore });

    [Fact]
    public void The_docs_nginx_deployment_and_nodeport_service_are_one_service_published_on_30007()
    {
        var result = ManifestLoader.Load([new ManifestFile { Name = "nginx-nodeport.yaml",
            Content = File.ReadAllText(Path.Combine(ManifestFiles.RepositoryRoot(), "examples/kubernetes/nginx/nginx-nodeport.yaml")) }]);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var service = Assert.Single(result.Services);
        Assert.Equal(("my-service", 3, "local/web:1"), (service.Metadata.Name, service.Spec.Replicas, service.Spec.Image));
        Assert.Equal([(8080, (int?)30007)], service.Spec.Ports.Select(p => (p.ContainerPort, p.PublishedPort)));
        Assert.Equal([30007], result.PublishedPorts.Select(p => p.Port));
    }

    [Fact]
    public void A_named_target_port_gets_the_node_port_and_an_undeclared_one_is_added_with_it()
    {
        var result = K8s(Lines(
            "apiVersion: v1", "kind: Service", "metadata: {name: web}",
            "spec: {type: NodePort, selector: {app: web}, ports: [{port: http, targetPort: http, nodePort: 30100}, {port: 9090, nodePort: 30101, protocol: UDP}]}",
            "---",
            "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web-d}",
            "spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: local/web:1, ports: [{containerPort: 8080, name: http}]}]}}}"));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal([(8080, (int?)30100, "tcp"), (9090, 30101, "udp")], Assert.Single(result.Services).Spec.Ports.Select(p => (p.ContainerPort, p.PublishedPort, p.Protocol)));
    }

    /// <summary>A Deployment "api" whose pod spec is <paramref name="pod"/> (indented 6).</summary>
    private static string Api(params string[] pod) => Lines([
        "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: api}",
        "spec:", "  selector: {matchLabels: {app: api}}", "  template:", "    metadata: {labels: {app: api}}", "    spec:", .. pod]);

    [Fact]
    public void Secret_configmap_and_emptydir_volumes_their_mounts_and_env_value_from_map_to_ours()
    {
        var result = K8s(Api(
            "      volumes:",
            "      - {name: creds, secret: {secretName: db, optional: true, items: [{key: password, path: pw}]}}",
            "      - {name: conf, configMap: {name: app}}",
            "      - {name: scratch, emptyDir: {}}",
            "      - {name: fast, emptyDir: {medium: Memory}}",
            "      containers:",
            "      - name: api",
            "        image: local/web:1",
            "        env:",
            "        - {name: MODE, value: fast}",
            "        - {name: PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}",
            "        - {name: LEVEL, valueFrom: {configMapKeyRef: {name: app, key: level, optional: true}}}",
            "        volumeMounts:",
            "        - {name: creds, mountPath: /etc/creds, readOnly: true}",
            "        - {name: conf, mountPath: /etc/app}",
            "        - {name: scratch, mountPath: /scratch}",
            "        - {name: fast, mountPath: /fast}"));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var api = Assert.Single(result.Services).Spec;
        Assert.Equal(["creds:secret", "conf:config", "scratch:emptyDir", "fast:emptyDir"], api.Volumes!.Select(v => $"{v.Name}:{v.Kind}"));
        Assert.Equal(("db", true, "password", "pw"), (api.Volumes![0].Secret!.SecretName, api.Volumes[0].Secret!.Optional, api.Volumes[0].Secret!.Items!.Single().Key, api.Volumes[0].Secret!.Items!.Single().Path));
        Assert.Equal("app", api.Volumes[1].Config!.Name);
        Assert.Equal((null, "Memory"), (api.Volumes[2].EmptyDir!.Medium, api.Volumes[3].EmptyDir!.Medium));
        Assert.Equal(["creds /etc/creds True", "conf /etc/app False", "scratch /scratch False", "fast /fast False"], api.VolumeMounts!.Select(m => $"{m.Name} {m.MountPath} {m.ReadOnly}"));
        Assert.Equal("fast", api.Env["MODE"]);
        Assert.Equal(("secret", "db", "password"), (api.EnvRefs!["PASSWORD"].Kind, api.EnvRefs["PASSWORD"].Ref.Name, api.EnvRefs["PASSWORD"].Ref.Key));
        Assert.Equal(("config", "app", "level", true), (api.EnvRefs["LEVEL"].Kind, api.EnvRefs["LEVEL"].Ref.Name, api.EnvRefs["LEVEL"].Ref.Key, api.EnvRefs["LEVEL"].Ref.Optional));
    }

    [Fact]
    public void A_refused_volume_takes_its_mounts_with_it_and_an_unsupported_source_leaves_the_variable_out_when_ignored()
    {
        var result = K8s(Api(
            "      volumes: [{name: data, persistentVolumeClaim: {claimName: data}}, {name: big, emptyDir: {sizeLimit: 1Gi}}]",
            "      containers:",
            "      - name: api",
            "        image: local/web:1",
            "        env: [{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}, {name: A, value: b}]",
            "        volumeMounts: [{name: data, mountPath: /data}, {name: big, mountPath: /big, subPath: x}]"), ignore: true);

        Assert.Equal(["k8s.yaml:9:30 spec.template.spec.volumes[0].persistentVolumeClaim"], result.Errors.Select(e => $"{e.File}:{e.Line}:{e.Column} {e.Path}"));
        Assert.Equal(["spec.template.spec.volumes[1].emptyDir.sizeLimit", "spec.template.spec.containers[0].env[0].valueFrom.fieldRef", "spec.template.spec.containers[0].volumeMounts[1].subPath"],
            result.Warnings.Select(w => w.Path));
    }

    [Fact]
    public void A_thousand_volumes_are_held_to_the_limit()
    {
        var volumes = string.Join(", ", Enumerable.Range(0, 1000).Select(i => $"{{name: v{i}, emptyDir: {{}}}}"));
        var result = K8s(Lines(
            "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: api}",
            "spec: {selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {volumes: [" + volumes + "], containers: [{name: a, image: local/web:1}]}}}"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.template.spec.volumes: at most 32 volumes are allowed, got 1000", $"{error.Path}: {error.Message}");
    }
}
