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
    [InlineData("NodePort", Svc + "  type: NodePort\n  selector: {app: web}\n  ports: [{port: 8080}]", 5, 9, "spec.type: NodePort needs publishedPort")]
    [InlineData("nodePort", Svc + "  selector: {app: web}\n  ports: [{port: 8080, nodePort: 30080}]", 6, 24, "spec.ports[0].nodePort: NodePort needs publishedPort")]
    [InlineData("no deployment", Svc + "  selector: {app: other}\n  ports: [{port: 8080}]", 5, 13, "spec.selector: selects no Deployment of this file")]
    [InlineData("remapped port", Svc + "  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]", 6, 18, "spec.ports[0].port: port 80 differs from targetPort 8080")]
    [InlineData("named target", Svc + "  selector: {app: web}\n  ports: [{port: 80, targetPort: web}]", 6, 34, "spec.ports[0].targetPort: no container port is named \"web\"")]
    [InlineData("host network", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      hostNetwork: true\n      containers: [{name: x, image: local/web:1}]", 9, 7, "spec.template.spec.hostNetwork: the host's network namespace is refused")]
    [InlineData("selector mismatch", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: c}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: x, image: local/web:1}]", 5, 28, "spec.selector.matchLabels.a: the pod template's labels must carry")]
    [InlineData("our validator", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: -1\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: x, image: local/web:1}]", 5, 13, "spec.replicas: must be a whole number >= 0")]
    [InlineData("volume mounts", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: x, image: local/web:1, volumeMounts: []}]", 9, 50, "spec.template.spec.containers[0].volumeMounts: volumes are not supported yet")]
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
