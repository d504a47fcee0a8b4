using Fluid;
using Fluid.Values;

namespace Orchestrator.Orc.Charts;

/// <summary>
/// A map of values as templates see it. A key that is not there is remembered with its whole path
/// (Values.image.tagg), so that a typo is an error naming it rather than an empty string in the output.
/// Liquid itself renders a missing member as nothing, and Fluid's strict mode names no path.
/// </summary>
internal sealed class TrackedValues(IReadOnlyDictionary<string, object?> map, string path, List<string> missing, TemplateOptions options)
    : IFluidIndexable
{
    public int Count => map.Count;
    public IEnumerable<string> Keys => map.Keys;

    public bool TryGetValue(string name, out FluidValue value)
    {
        if (!map.TryGetValue(name, out var raw))
        {
            missing.Add($"{path}.{name}");
            value = NilValue.Instance;
            return false;
        }
        value = Wrap(raw, $"{path}.{name}", missing, options);
        return true;
    }

    public static FluidValue Wrap(object? raw, string path, List<string> missing, TemplateOptions options) => raw switch
    {
        IReadOnlyDictionary<string, object?> inner => new DictionaryValue(new TrackedValues(inner, path, missing, options)),
        List<object?> list => new ArrayValue(list.Select((item, i) => Wrap(item, $"{path}[{i}]", missing, options)).ToArray()),
        _ => FluidValue.Create(raw, options),
    };
}
