using System.Text;

namespace Alrs.Nodes.Tests.Control;

/// <summary>A thread-safe writer that keeps every line, for output written while a test reads it (<c>cluster tail</c>).</summary>
public sealed class LineCapture : TextWriter
{
    readonly object _gate = new();
    readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate) _text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (_gate) _text.Append(value);
    }

    public override void WriteLine(string? value)
    {
        lock (_gate) _text.Append(value).Append('\n');
    }

    public override string ToString()
    {
        lock (_gate) return _text.ToString();
    }

    public IReadOnlyList<string> Lines => ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
