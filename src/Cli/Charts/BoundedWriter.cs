namespace Orchestrator.Orc.Charts;

/// <summary>Collects a template's output and stops the render once it passes <paramref name="limit"/> characters.</summary>
internal sealed class BoundedWriter(int limit) : StringWriter
{
    public sealed class Full(int limit) : Exception($"rendered more than {limit} characters");

    public override void Write(char value)
    {
        Check(1);
        base.Write(value);
    }

    public override void Write(string? value)
    {
        Check(value?.Length ?? 0);
        base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Check(count);
        base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Check(buffer.Length);
        base.Write(buffer);
    }

    private void Check(int adding)
    {
        if (GetStringBuilder().Length + adding > limit) throw new Full(limit);
    }
}
