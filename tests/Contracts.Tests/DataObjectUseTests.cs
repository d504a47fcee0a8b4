namespace Orchestrator.Contracts.Tests;

/// <summary>Who uses a Secret or Config, as a refused deletion names them.</summary>
[Trait("Category", "Unit")]
public sealed class DataObjectUseTests
{
    private static ServiceObject Service(string name, string ns = "default", Dictionary<string, EnvSource>? env = null, List<VolumeSpec>? volumes = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Image = "local/busybox:1", EnvRefs = env, Volumes = volumes },
    };

    private static EnvSource SecretKey(string name) => new() { SecretKeyRef = new KeyRef { Name = name, Key = "password" } };
    private static EnvSource ConfigKey(string name) => new() { ConfigKeyRef = new KeyRef { Name = name, Key = "greeting" } };

    public static TheoryData<string, string, string, ServiceObject[], string?> Cases => new()
    {
        { "unused", DataKinds.Secret, "app-db", [Service("web")], null },
        {
            "env, by name", DataKinds.Secret, "app-db", [Service("web", env: new() { ["DB_PASSWORD"] = SecretKey("app-db") })],
            "secret app-db is used by service default/web (env DB_PASSWORD); delete those services or remove the references first"
        },
        {
            "env and volume, two services in name order", DataKinds.Secret, "app-db",
            [Service("web", env: new() { ["B"] = SecretKey("app-db"), ["A"] = SecretKey("app-db") }),
             Service("api", volumes: [new VolumeSpec { Name = "creds", Secret = new SecretVolumeSource { SecretName = "app-db" } }])],
            "secret app-db is used by service default/api (volume creds); service default/web (env A, env B); delete those services or remove the references first"
        },
        { "a config of the same name is another object", DataKinds.Secret, "app", [Service("web", env: new() { ["G"] = ConfigKey("app") })], null },
        {
            "config volume", DataKinds.Config, "app", [Service("web", volumes: [new VolumeSpec { Name = "conf", Config = new ConfigVolumeSource { Name = "app" } }])],
            "config app is used by service default/web (volume conf); delete those services or remove the references first"
        },
        { "another namespace does not count", DataKinds.Secret, "app-db", [Service("web", "shop", env: new() { ["P"] = SecretKey("app-db") })], null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_deletion_is_refused_naming_each_service_and_use(string name, string kind, string objectName, ServiceObject[] services, string? refusal)
    {
        Assert.True(name.Length > 0);
        Assert.Equal(refusal, DataObjectUse.Refusal(kind, "default", objectName, services));
    }
}
