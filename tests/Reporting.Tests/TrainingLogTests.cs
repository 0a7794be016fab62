using Alrs.Reporting;
using Alrs.Learning;

namespace Alrs.Reporting.Tests;

public sealed class TrainingLogTests : IDisposable
{
    readonly string runDirectory = Path.Combine(Path.GetTempPath(), "alrs-tb-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(runDirectory)) Directory.Delete(runDirectory, recursive: true);
    }

    [Fact]
    public void Decisions_and_updates_round_trip_through_the_event_file()
    {
        string file;
        using (var log = new TrainingLog(runDirectory))
        {
            file = log.EventFile;
            log.LogDecision("env-3", 7, 0.001, 1.25, 1.5);
            log.LogDecision("env-3", 8_000_000_000, 0.00105, 1.0, 1.25);
            log.LogUpdate(4, -0.01, 0.5, 1.25, 0.002, 0.125, 0.75, -42.5);
        }

        Assert.Equal(Path.Combine(runDirectory, "tensorboard"), Path.GetDirectoryName(file));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file));
        var events = EventFileReader.Read(file);

        Assert.Equal(4, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal([0L, 7, 8_000_000_000, 4], events.Select(e => e.Step));
        Assert.Equal(
            [("env/env-3/learning_rate", 0.001f), ("env/env-3/train_loss", 1.25f), ("env/env-3/val_loss", 1.5f)],
            events[1].Values.Select(v => (v.Tag, v.Value)));
        Assert.Equal(0.00105f, events[2].Values[0].Value);
        Assert.Equal(
            ["losses/policy_loss", "losses/value_loss", "losses/entropy", "losses/approx_kl", "losses/clipfrac", "losses/explained_variance", "charts/episodic_return"],
            events[3].Values.Select(v => v.Tag));
        Assert.Equal([-0.01f, 0.5f, 1.25f, 0.002f, 0.125f, 0.75f, -42.5f], events[3].Values.Select(v => v.Value));
    }

    [Fact]
    public void Wall_time_is_in_unix_seconds()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        string file;
        using (var log = new TrainingLog(runDirectory))
        {
            file = log.EventFile;
            log.LogDecision("a", 1, 0.1, 1, 1);
        }
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        Assert.All(EventFileReader.Read(file), e => Assert.InRange(e.WallTime, before - 1, after + 1));
    }

    [Fact]
    public void Events_are_readable_while_the_log_is_still_open()
    {
        using var log = new TrainingLog(runDirectory);
        log.LogUpdate(1, 0, 0, 0, 0, 0, 0, 3);

        Assert.Equal(3f, EventFileReader.Read(log.EventFile)[^1].Values[^1].Value);
    }

    [Fact]
    public void Two_logs_in_one_run_directory_write_separate_files()
    {
        using var first = new TrainingLog(runDirectory);
        using var second = new TrainingLog(runDirectory);

        Assert.NotEqual(first.EventFile, second.EventFile);
    }

    [Fact]
    public void Corrupted_record_is_rejected_naming_the_file()
    {
        string file;
        using (var log = new TrainingLog(runDirectory))
        {
            file = log.EventFile;
            log.LogDecision("a", 1, 0.1, 1, 1);
        }
        var bytes = File.ReadAllBytes(file);
        bytes[^6] ^= 0x40;
        File.WriteAllBytes(file, bytes);

        var error = Assert.Throws<InputException>(() => EventFileReader.Read(file));

        Assert.Contains(file, error.Message);
        Assert.Contains("data checksum mismatch", error.Message);
    }

    [Fact]
    public void Masked_crc32c_matches_the_published_check_value()
    {
        // CRC-32C("123456789") = 0xE3069283 (RFC 3720); masked: rotate right 15, add 0xa282ead8.
        const uint crc = 0xE3069283;
        var masked = unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);

        Assert.Equal(masked, MaskedCrc32C.Compute("123456789"u8));
    }
}
