using System.Text;
using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>Compose's published ports, named volumes, secrets and configs as ours (docs/compat.md), and each refusal at its line.</summary>
[Trait("Category", "Unit")]
public class ComposeStorageTranslationTests
{
    private static LoadResult Compose(string yaml, bool ignore = false) =>
        ManifestLoader.Load([new ManifestFile { Name = "compose.yaml", Content = yaml }],
            new TranslationOptions { IgnoreUnsupported = ignore, ReadFile = (_, path) => new FileContent(Encoding.UTF8.GetBytes("from " + path), null) });

    private static ValidationError OneError(string yaml)
    {
        var result = Compose(yaml);
        Assert.False(result.Ok);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Published_ports_named_volumes_secrets_and_configs_map_to_published_ports_and_volumes()
    {
        var result = Compose(Lines(
            "services:",
            "  web:",
            "    image: local/web:1",
            "    ports: [\"30080:8080\", {target: 9090, published: \"30090\", protocol: udp}]",
            "    volumes:",
            "      - data:/var/lib/data",
            "      - data_2:/srv:ro",
            "      - /scratch",
            "      - {type: tmpfs, target: /tmp/fast}",
            "      - {type: volume, source: data, target: /again, read_only: true}",
            "    secrets:",
            "      - db_password",
            "      - {source: api_key, target: /etc/keys/api}",
            "    configs:",
            "      - {source: site, target: /etc/nginx/conf.d/site.conf}",
            "volumes:",
            "  data:",
            "  data_2: {driver: local, labels: {a: b}}",
            "secrets:",
            "  db_password: {file: ./db.txt}",
            "  api_key: {external: true}",
            "configs:",
            "  site: {content: \"listen 8080\"}"));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var web = Assert.Single(result.Services).Spec;
        Assert.Equal([(8080, (int?)30080, "tcp"), (9090, 30090, "udp")], web.Ports.Select(p => (p.ContainerPort, p.PublishedPort, p.Protocol)));
        Assert.Equal(["data:shared", "data-2:shared", "anonymous-3:emptyDir", "anonymous-4:emptyDir", "secret-db-password:secret", "secret-api-key:secret", "config-site:config"],
            web.Volumes!.Select(v => $"{v.Name}:{v.Kind}"));
        Assert.Equal(EmptyDirVolumeSource.MemoryMedium, web.Volumes![3].EmptyDir!.Medium);
        Assert.Null(web.Volumes![2].EmptyDir!.Medium);
        Assert.Equal(VolumeReclaimPolicy.Retain, web.Volumes![0].ReclaimPolicy);
        Assert.Equal(("db-password", "db_password", "db_password"), (web.Volumes![4].Secret!.SecretName, web.Volumes![4].Secret!.Items!.Single().Key, web.Volumes![4].Secret!.Items!.Single().Path));
        Assert.Equal(("api-key", "api_key", "api"), (web.Volumes![5].Secret!.SecretName, web.Volumes![5].Secret!.Items!.Single().Key, web.Volumes![5].Secret!.Items!.Single().Path));
        Assert.Equal(("site", "site", "site.conf"), (web.Volumes![6].Config!.Name, web.Volumes![6].Config!.Items!.Single().Key, web.Volumes![6].Config!.Items!.Single().Path));
        Assert.Equal(["data /var/lib/data rw", "data-2 /srv ro", "anonymous-3 /scratch rw", "anonymous-4 /tmp/fast rw", "data /again ro",
            "secret-db-password /run/secrets ro", "secret-api-key /etc/keys ro", "config-site /etc/nginx/conf.d ro"],
            web.VolumeMounts!.Select(m => $"{m.Name} {m.MountPath} {(m.ReadOnly ? "ro" : "rw")}"));
        // The files where Compose puts them: /run/secrets/db_password, /etc/keys/api, /etc/nginx/conf.d/site.conf.
        Assert.Equal(["/run/secrets/db_password", "/etc/keys/api", "/etc/nginx/conf.d/site.conf"],
            ContainerMounts.Of(web.Volumes, web.VolumeMounts).Where(m => m.Volume.Data is not null)
                .Select(m => $"{m.Path}/{(m.Volume.Secret?.Items ?? m.Volume.Config!.Items)!.Single().Path}"));
        Assert.Equal("from ./db.txt", Encoding.UTF8.GetString(Convert.FromBase64String(result.Secrets.Single().Data["db_password"])));
    }

    [Theory]
    [InlineData("two secrets in /run/secrets", "    secrets: [a, b]", 4, 18, "services.s.secrets[1]: /run/secrets/b would be in /run/secrets beside /run/secrets/a")]
    [InlineData("a config at the root", "    configs: [c]", 4, 15, "services.s.configs[0]: /c: a config here is a file in a folder of its own")]
    [InlineData("secret mode", "    secrets: [{source: a, mode: 0400}]", 4, 27, "services.s.secrets[0].mode: \"mode\" is not supported")]
    [InlineData("volume of another service", "    volumes: [\"v:/a\"]\n  t:\n    image: local/web:1\n    volumes: [\"v:/b\"]", 7, 15, "services.t.volumes[0]: volume \"v\" is mounted by service s too")]
    [InlineData("volume option", "    volumes: [\"v:/a:z\"]", 4, 15, "services.s.volumes[0]: \"v:/a:z\": write NAME:/path")]
    [InlineData("home bind", "    volumes: [\"~/x:/x\"]", 4, 15, "services.s.volumes[0]: \"~/x:/x\": bind mounts are refused")]
    [InlineData("bind options", "    volumes: [{type: volume, source: v, target: /a, bind: {propagation: shared}}]", 4, 53, "services.s.volumes[0].bind: bind mounts are refused")]
    [InlineData("our mount rules", "    volumes: [\"v:/proc/x\"]", 4, 15, "spec.volumeMounts[0].mountPath: ")]
    [InlineData("volume driver", "", 10, 15, "volumes.v.driver: \"nfs\": only the local driver")]
    public void Unsupported_and_refused_storage_is_named_at_its_compose_line(string name, string service, int row, int column, string wanted)
    {
        var error = OneError(Lines("services:", "  s:", "    image: local/web:1", service,
            "secrets:", "  a: {file: ./a}", "  b: {file: ./b}", "configs: {c: {content: x}}", "volumes:", $"  v: {{driver: {(name == "volume driver" ? "nfs" : "local")}}}"));

        Assert.Equal(("compose.yaml", row, column), (error.File, error.Line, error.Column));
        Assert.StartsWith(wanted, $"{error.Path}: {error.Message}");
    }

    [Fact]
    public void Hostile_storage_is_held_to_the_limits_without_a_trace()
    {
        var volumes = "services:\n  s:\n    image: local/web:1\n    volumes:\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"      - v:/d{i}\n")) + "volumes: {v: {}}\n";
        Assert.Equal("compose.yaml:5:7 services.s.volumes: at most 64 volumes are allowed, got 1000", Assert.Single(Compose(volumes).Errors).ToString());

        var secrets = "services:\n  s:\n    image: local/web:1\n    secrets:\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"      - {{source: x, target: /s/{i}/x}}\n")) + "secrets: {x: {file: ./x}}\n";
        Assert.StartsWith("compose.yaml:5:7 services.s.secrets: at most 32 secrets are allowed, got 100", Assert.Single(Compose(secrets).Errors).ToString());
    }
}
