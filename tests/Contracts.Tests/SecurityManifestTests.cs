using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>spec.securityContext, spec.hostname and resources.pids: read, refused with reasons, written back, hashed.</summary>
[Trait("Category", "Unit")]
public class SecurityManifestTests
{
    private static readonly string Full = WithSpec(
        "  hostname: web-host",
        "  resources: {memory: 64Mi, pids: 200}",
        "  securityContext:",
        "    runAsUser: 1000",
        "    runAsGroup: 2000",
        "    runAsNonRoot: true",
        "    readOnlyRootFilesystem: true",
        "    allowPrivilegeEscalation: false",
        "    capabilities:",
        "      drop: [ALL]",
        "      add: [NET_BIND_SERVICE, CAP_CHOWN]");

    [Fact]
    public void Every_field_is_read()
    {
        var result = Load(Full);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var spec = result.Services[0].Spec;
        Assert.Equal("web-host", spec.Hostname);
        Assert.Equal(200, spec.Resources.Pids);
        var security = spec.SecurityContext!;
        Assert.Equal((1000L, 2000L, true, true, false), (security.RunAsUser, security.RunAsGroup, security.RunAsNonRoot, security.ReadOnlyRootFilesystem, security.AllowPrivilegeEscalation));
        Assert.Equal(["NET_BIND_SERVICE", "CHOWN"], security.Capabilities!.Add);
        Assert.Equal(["ALL"], security.Capabilities.Drop);
    }

    [Fact]
    public void The_written_manifest_reads_back_to_an_equal_object()
    {
        var first = Load(Full).Services[0];

        var written = ManifestYaml.Write(first);
        var again = Load(written, "written.yaml");

        Assert.True(again.Ok, string.Join("\n", again.Errors) + "\n" + written);
        Assert.True(Json.SameContent(first, again.Services[0]), written);
        Assert.Contains("runAsNonRoot: true", written);
        Assert.Contains("pids: 200", written);
    }

    [Fact]
    public void A_change_of_the_security_context_changes_the_container_hash_and_absent_fields_change_nothing()
    {
        var plain = ContainerSpec.From(Load(Header).Services[0].Spec);
        var secured = ContainerSpec.From(Load(Full).Services[0].Spec);
        var writable = ContainerSpec.From(Load(Full.Replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")).Services[0].Spec);

        Assert.NotEqual(plain.Hash(), secured.Hash());
        Assert.NotEqual(secured.Hash(), writable.Hash());
        // A spec written before these fields existed keeps its hash: no rolling update of everything on upgrade.
        var json = Json.Serialize(plain);
        Assert.DoesNotContain("securityContext", json);
        Assert.DoesNotContain("hostname", json);
        Assert.DoesNotContain("pids", json);
    }

    public sealed record Case(string Name, string Yaml, int Line, int Column, string Path, string Message);

    private static string Security(params string[] lines) => WithSpec(["  securityContext:", .. lines.Select(l => "    " + l)]);

    private static readonly Case[] Cases =
    [
        new("privileged in the security context", Security("privileged: true"), 8, 5, "spec.securityContext.privileged",
            "privileged containers are refused: they can take over the node"),
        new("privileged in the spec", WithSpec("  privileged: true"), 7, 3, "spec.privileged", "privileged containers are refused"),
        new("host network", WithSpec("  hostNetwork: true"), 7, 3, "spec.hostNetwork", "the host's network namespace is refused"),
        new("host PID", WithSpec("  hostPID: true"), 7, 3, "spec.hostPID", "the host's PID namespace is refused"),
        new("an unknown field", Security("runAsUsr: 1"), 8, 5, "spec.securityContext.runAsUsr", "did you mean \"runAsUser\"?"),
        new("a negative uid", Security("runAsUser: -1"), 8, 16, "spec.securityContext.runAsUser", "must be a whole number from 0 to 2147483647"),
        new("a uid past 2^31", Security("runAsUser: 1099511627776"), 8, 16, "spec.securityContext.runAsUser", "must be a whole number from 0 to 2147483647"),
        new("a user name", Security("runAsUser: nobody"), 8, 16, "spec.securityContext.runAsUser", "got \"nobody\""),
        new("a group without a user", Security("runAsGroup: 5"), 8, 17, "spec.securityContext.runAsGroup", "needs runAsUser as well"),
        new("non-root as uid 0", Security("runAsUser: 0", "runAsNonRoot: true"), 8, 16, "spec.securityContext.runAsUser", "is 0 (root) while runAsNonRoot is true"),
        new("a bool written as yes", Security("readOnlyRootFilesystem: yes"), 8, 29, "spec.securityContext.readOnlyRootFilesystem", "must be true or false, got \"yes\""),
        new("a quoted bool", Security("runAsNonRoot: \"true\""), 8, 19, "spec.securityContext.runAsNonRoot", "must be true or false"),
        new("adding SYS_ADMIN", Security("capabilities: {add: [SYS_ADMIN]}"), 8, 26, "spec.securityContext.capabilities.add[0]",
            "\"SYS_ADMIN\" is not a capability that may be added; allowed: AUDIT_WRITE, CHOWN"),
        new("dropping an unknown capability", Security("capabilities: {drop: [NET_RWA]}"), 8, 27, "spec.securityContext.capabilities.drop[0]",
            "(did you mean \"NET_RAW\"?)"),
        new("a capability twice", Security("capabilities: {add: [KILL, KILL]}"), 8, 32, "spec.securityContext.capabilities.add[1]", "is listed twice"),
        new("capabilities as text", Security("capabilities: {add: KILL}"), 8, 25, "spec.securityContext.capabilities.add", "must be a list of capability names"),
        new("100 capabilities", Security($"capabilities: {{drop: [{string.Join(", ", Enumerable.Repeat("KILL", 100))}]}}"), 8, 26,
            "spec.securityContext.capabilities.drop", "at most 42 capabilities are allowed, got 100"),
        new("a capability name of 10 KB", Security($"capabilities: {{drop: [{new string('X', 10_000)}]}}"), 8, 27,
            "spec.securityContext.capabilities.drop[0]", "(10000 characters) is not a capability"),
        new("a hostname with an underscore", WithSpec("  hostname: web_1"), 7, 13, "spec.hostname", "must be a DNS-1123 label"),
        new("a hostname of 10 KB", WithSpec($"  hostname: {new string('a', 10_000)}"), 7, 13, "spec.hostname", "(10000 characters)"),
        new("zero pids", WithSpec("  resources: {pids: 0}"), 7, 21, "spec.resources.pids", "must be a whole number from 1 to 4194304"),
        new("pids past pid_max", WithSpec("  resources: {pids: 5000000}"), 7, 21, "spec.resources.pids", "must be a whole number from 1 to 4194304"),
    ];

    public static TheoryData<string> CaseNames => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Bad_security_settings_are_refused_where_they_are(string name)
    {
        var c = Cases.Single(x => x.Name == name);

        var result = Load(c.Yaml);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("web.yaml", c.Line, c.Column, c.Path), (error.File, error.Line, error.Column, error.Path));
        Assert.Contains(c.Message, error.Message);
        Assert.True(error.Message.Length < 1200, error.Message.Length.ToString());
    }
}
