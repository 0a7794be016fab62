using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>
/// The learner's exactly-once bookkeeping on its own, with a clock the spec moves: an unknown
/// environment starts at sequence 0, and a bounded table never forgets an environment whose
/// committed fragments could still come back.
/// </summary>
public sealed class FragmentWatermarksSpecs
{
    static readonly TimeSpan Quiet = TimeSpan.FromSeconds(90);
    DateTime _now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    FragmentWatermarks NewWatermarks(int capacity) => new(capacity, Quiet, () => _now);

    [Fact]
    public void An_unknown_environments_first_fragment_is_taken_only_at_sequence_0()
    {
        var watermarks = NewWatermarks(16);
        Assert.Equal(FragmentOrder.Gap, watermarks.Classify("env-0", 5, 2));
        Assert.Equal(FragmentOrder.Next, watermarks.Classify("env-0", 5, 0));
        watermarks.Consume("env-0", 5, 0);
        Assert.Equal(FragmentOrder.Next, watermarks.Classify("env-0", 5, 1));
    }

    [Fact]
    public void Under_many_environment_ids_a_talking_environment_is_never_forgotten_so_its_committed_fragments_stay_duplicates()
    {
        var watermarks = NewWatermarks(16);
        for (var i = 0; i < 16; i++) watermarks.Consume($"env-{i}", 0, 0);
        watermarks.Committed(watermarks.Consumed());

        // A thousand more ids over five quiet periods while env-0..7 keep re-sending their
        // committed fragment (their acknowledgement was lost): they stay remembered.
        var refused = 0;
        for (var id = 16; id < 1016; id++)
        {
            _now += Quiet / 200;
            for (var i = 0; i < 8; i++) Assert.Equal(FragmentOrder.Committed, watermarks.Classify($"env-{i}", 0, 0));
            if (watermarks.Classify($"env-{id}", 0, 0) == FragmentOrder.Full) refused++;
            else
            {
                watermarks.Consume($"env-{id}", 0, 0);
                watermarks.Committed(watermarks.Consumed());
            }
            Assert.True(watermarks.Count <= 16);
        }
        Assert.True(refused > 0, "ids are refused while no remembered one is forgettable");
        for (var i = 0; i < 8; i++) Assert.Equal(FragmentOrder.Committed, watermarks.Classify($"env-{i}", 0, 0));
    }

    [Fact]
    public void An_environment_with_consumed_but_uncommitted_fragments_is_never_forgotten()
    {
        var watermarks = NewWatermarks(16);
        for (var i = 0; i < 16; i++) watermarks.Consume($"env-{i}", 0, 0);
        watermarks.Committed(watermarks.Consumed().Where(w => w.EnvironmentId != "env-3"));
        _now += Quiet * 2;

        for (var id = 16; id < 31; id++)
        {
            Assert.Equal(FragmentOrder.Next, watermarks.Classify($"env-{id}", 0, 0));
            watermarks.Consume($"env-{id}", 0, 0);
        }
        // Every silent settled one is gone; env-3 still waits for its commit, and nothing else may go.
        Assert.Equal(FragmentOrder.Full, watermarks.Classify("env-99", 0, 0));
        Assert.Equal(FragmentOrder.Consumed, watermarks.Classify("env-3", 0, 0));
    }

    [Fact]
    public void Restored_watermarks_are_committed_and_a_silent_one_makes_room_after_the_quiet_period()
    {
        var watermarks = NewWatermarks(16);
        watermarks.Restore(Enumerable.Range(0, 16).Select(i => new EnvironmentWatermark($"env-{i}", 3, 2)));
        Assert.Equal(FragmentOrder.Committed, watermarks.Classify("env-5", 3, 2));
        Assert.Equal(FragmentOrder.Next, watermarks.Classify("env-5", 3, 3));
        Assert.Equal(FragmentOrder.Full, watermarks.Classify("env-new", 0, 0));

        _now += Quiet + TimeSpan.FromSeconds(1);
        Assert.Equal(FragmentOrder.Next, watermarks.Classify("env-new", 0, 0));
        watermarks.Consume("env-new", 0, 0);
        Assert.Equal(16, watermarks.Count);
    }
}
