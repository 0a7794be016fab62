using Alrs.Nodes.Commands;

namespace Alrs.Nodes.Tests.Commands;

public sealed class TrainingStatusLineTests
{
    [Theory]
    [InlineData(75, "01:15")]
    [InlineData(3599, "59:59")]
    [InlineData(3600 + 11 * 60 + 16, "1:11:16")]
    [InlineData(13 * 3600 + 5, "13:00:05")]
    public void Elapsed_and_remaining_times_keep_their_hours(int seconds, string expected) =>
        Assert.Equal(expected, TrainingStatusLine.Clock(TimeSpan.FromSeconds(seconds)));
}
