namespace Orchestrator.Contracts.Tests;

/// <summary>
/// The reference (`orc explain`, docs/manifest.md) against the validator: at every mapping the schema describes, an
/// unknown field is refused with a list of allowed fields that must be exactly the schema's fields there.
/// </summary>
public sealed class ManifestSchemaTests
{
    private const string Unknown = "zzUnknownField";

    public static TheoryData<string> Mappings()
    {
        var data = new TheoryData<string>();
        foreach (var kind in ManifestSchema.Kinds) Walk(kind, kind.Name, data);
        return data;

        static void Walk(FieldDoc field, string path, TheoryData<string> data)
        {
            if (!field.HasFields) return;
            data.Add(path);
            foreach (var child in field.Fields) Walk(child, path + "." + child.Name, data);
        }
    }

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Every_mapping_of_the_reference_has_the_fields_the_validator_allows_there(string path)
    {
        var parts = path.Split('.');
        var chain = new List<FieldDoc> { ManifestSchema.Kinds.Single(k => k.Name == parts[0]) };
        foreach (var part in parts[1..]) chain.Add(chain[^1].Fields.Single(f => f.Name == part));

        var yaml = Document(chain);
        var result = Manifest.Load(yaml);

        var error = result.Errors.FirstOrDefault(e => e.Path.EndsWith(Unknown, StringComparison.Ordinal) && e.Message.Contains("allowed: "));
        Assert.True(error is not null, $"the validator did not refuse {Unknown} at {path}; got: {string.Join(" | ", result.Errors)}\n{yaml}");
        var allowed = error!.Message[(error.Message.IndexOf("allowed: ", StringComparison.Ordinal) + "allowed: ".Length)..];
        var hint = allowed.IndexOf(" (did you mean", StringComparison.Ordinal);
        if (hint >= 0) allowed = allowed[..hint];
        Assert.Equal(allowed.Split(", ").Order(), chain[^1].Fields.Select(f => f.Name).Order());
    }

    [Fact]
    public void The_walk_reaches_every_part_of_a_service()
    {
        var paths = Mappings().Cast<object[]>().Select(row => (string)row[0]).ToList();
        Assert.Contains("Service.spec.updateStrategy", paths);
        Assert.Contains("Service.spec.placement.affinity.preferred", paths);
        Assert.Contains("Service.spec.livenessProbe.httpGet", paths);
        Assert.Contains("Service.spec.env", paths);
        Assert.True(paths.Count >= 20, $"only {paths.Count} mappings");
    }

    [Fact]
    public void Find_takes_a_kind_alias_and_names_the_nearest_field_when_a_part_is_wrong()
    {
        string? Kind(string given) => given.ToLowerInvariant() is "service" or "svc" ? ObjectKinds.Service : null;

        Assert.Equal("maxSurge", ManifestSchema.Find("svc.spec.updateStrategy.maxSurge", Kind).Field!.Name);
        Assert.Equal("Service", ManifestSchema.Find("service", Kind).Field!.Name);

        var (none, error) = ManifestSchema.Find("service.spec.updateStrategi", Kind);
        Assert.Null(none);
        Assert.Contains("service.spec has no field \"updateStrategi\"", error);
        Assert.Contains("did you mean \"updateStrategy\"", error);

        Assert.Contains("is a integer and has no fields", ManifestSchema.Find("service.spec.replicas.x", Kind).Error);
        Assert.Contains("unknown kind \"pod\"", ManifestSchema.Find("pod.spec", Kind).Error);
    }

    /// <summary>A document with <see cref="Unknown"/> inside the last field of the chain, every step on the way as its mapping or list of mappings.</summary>
    private static string Document(IReadOnlyList<FieldDoc> chain)
    {
        // A valid envelope, with the chain's first field replaced by what leads to the unknown one.
        var envelope = new Dictionary<string, string>
        {
            ["apiVersion"] = ObjectKinds.ApiVersion,
            ["kind"] = chain[0].Name,
            ["metadata"] = "{name: web}",
            ["spec"] = "{image: local/web:1}",
        };
        if (chain.Count == 1) envelope[Unknown] = "1";
        else envelope[chain[1].Name] = Value(1);
        return string.Join("\n", envelope.Select(e => $"{e.Key}: {e.Value}"));

        string Value(int k)
        {
            var mapping = k == chain.Count - 1 ? $"{{{Unknown}: 1}}" : $"{{{chain[k + 1].Name}: {Value(k + 1)}}}";
            return chain[k].Type.StartsWith("[]", StringComparison.Ordinal) || chain[k].Type.Contains("| []", StringComparison.Ordinal)
                ? $"[{mapping}]" : mapping;
        }
    }
}
