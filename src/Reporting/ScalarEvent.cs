namespace Alrs.Reporting;

/// <summary>One named scalar of a TensorBoard summary.</summary>
public sealed record ScalarValue(string Tag, float Value);

/// <summary>
/// One TensorBoard event: a wall time (seconds since the Unix epoch), a step, and either the
/// file-version marker that opens every event file or a list of scalars.
/// </summary>
public sealed record ScalarEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<ScalarValue> Values);
