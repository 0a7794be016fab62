using System.Globalization;

namespace Alrs.Bench;

/// <summary>Repeated measurements of one figure: the median is the figure, min and max its spread.</summary>
public sealed class Samples(string unit)
{
    readonly List<double> _values = [];

    public string Unit { get; } = unit;
    public int Count => _values.Count;
    public IReadOnlyList<double> Values => _values;

    public void Add(double value) => _values.Add(value);

    public double Median
    {
        get
        {
            if (_values.Count == 0) return double.NaN;
            var sorted = _values.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public double Min => _values.Count == 0 ? double.NaN : _values.Min();
    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    /// <summary>"812.4 steps/s (min 790.1, max 830.0, n=5)".</summary>
    public string Describe(string format = "F1") => string.Create(CultureInfo.InvariantCulture,
        $"{Median.ToString(format, CultureInfo.InvariantCulture)} {Unit} (min {Min.ToString(format, CultureInfo.InvariantCulture)}, max {Max.ToString(format, CultureInfo.InvariantCulture)}, n={Count})");
}
