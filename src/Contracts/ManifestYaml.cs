using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Orchestrator.Contracts;

/// <summary>
/// Writes an object back in manifest form (what `orc get -o yaml` shows), so that <see cref="ManifestLoader"/>
/// reads it to an equal object. Only fields that are set are written; ids and times the control plane assigns are not.
/// </summary>
public static partial class ManifestYaml
{
    public static string Write(ServiceObject o)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var yaml = new YamlWriter(new Emitter(text));
        yaml.Document(() =>
        {
            yaml.Field("apiVersion", o.ApiVersion);
            yaml.Field("kind", o.Kind);
            yaml.Mapping("metadata", () => Metadata(yaml, o.Metadata));
            yaml.Mapping("spec", () => Spec(yaml, o.Spec));
        });
        return text.ToString();
    }

    private static void Metadata(YamlWriter yaml, ObjectMeta meta)
    {
        yaml.Field("name", meta.Name);
        yaml.Field("namespace", meta.Namespace);
        yaml.Map("labels", meta.Labels);
        if (meta.Generation != 0) yaml.Field("generation", meta.Generation);
        if (meta.ResourceVersion != 0) yaml.Field("resourceVersion", meta.ResourceVersion);
    }

    private static void Spec(YamlWriter yaml, ServiceSpec spec)
    {
        yaml.Field("image", spec.Image);
        yaml.List("command", spec.Command);
        yaml.List("args", spec.Args);
        Env(yaml, spec);
        yaml.Field("replicas", spec.Replicas);
        if (spec.Resources.Cpu is not null || spec.Resources.Memory is not null || spec.Resources.Pids is not null)
            yaml.Mapping("resources", () =>
            {
                if (spec.Resources.Cpu is { } cpu) yaml.Field("cpu", cpu);
                if (spec.Resources.Memory is { } memory) yaml.Field("memory", memory);
                if (spec.Resources.Pids is { } pids) yaml.Field("pids", pids);
            });
        if (spec.Ports.Count > 0)
            yaml.Sequence("ports", spec.Ports, port =>
            {
                yaml.Field("containerPort", port.ContainerPort);
                if (port.HostPort is { } hostPort) yaml.Field("hostPort", hostPort);
                yaml.Field("protocol", port.Protocol);
                if (port.Name is { } name) yaml.Field("name", name);
                if (port.PublishedPort is { } published) yaml.Field("publishedPort", published);
            });
        Health(yaml, spec);
        Placement(yaml, spec);
        Update(yaml, spec);
        Security(yaml, spec);
        Volumes(yaml, spec);
    }

    /// <summary>Block-style YAML events with the quoting the loader needs to read every value back as written.</summary>
    private sealed class YamlWriter(IEmitter emitter)
    {
        public void Document(Action body)
        {
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart());
            InMapping(body);
            emitter.Emit(new DocumentEnd(isImplicit: true));
            emitter.Emit(new StreamEnd());
        }

        public void Field(string key, string value)
        {
            Text(key);
            Text(value);
        }

        public void Field(string key, bool value)
        {
            Text(key);
            emitter.Emit(new Scalar(value ? "true" : "false"));
        }

        public void Field(string key, long number)
        {
            Text(key);
            emitter.Emit(new Scalar(number.ToString(CultureInfo.InvariantCulture)));
        }

        public void Mapping(string key, Action body)
        {
            Text(key);
            InMapping(body);
        }

        /// <summary>A map of text, left out when empty; keys sorted so that equal objects write equal text.</summary>
        public void Map(string key, IReadOnlyDictionary<string, string> entries)
        {
            if (entries.Count == 0) return;
            Mapping(key, () =>
            {
                foreach (var (k, v) in entries.OrderBy(e => e.Key, StringComparer.Ordinal)) Field(k, v);
            });
        }

        /// <summary>A list of text, left out when null; an empty list is kept because it differs from "not set".</summary>
        public void List(string key, IReadOnlyList<string>? items)
        {
            if (items is null) return;
            Text(key);
            emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
            foreach (var item in items) Text(item);
            emitter.Emit(new SequenceEnd());
        }

        public void Sequence<T>(string key, IEnumerable<T> items, Action<T> body)
        {
            Text(key);
            emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
            foreach (var item in items) InMapping(() => body(item));
            emitter.Emit(new SequenceEnd());
        }

        private void InMapping(Action body)
        {
            emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
            body();
            emitter.Emit(new MappingEnd());
        }

        private void Text(string value)
        {
            var style = YamlScalars.NeedsQuotes(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
            emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, style, isPlainImplicit: true, isQuotedImplicit: true));
        }
    }
}
