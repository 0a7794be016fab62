using System.Buffers.Binary;
using Alrs.Reporting;
using Alrs.Torch;
using TorchSharp;

namespace Alrs.Reporting.Tests;

/// <summary>
/// Event files written here are TensorBoard's: their framing and payloads parse with the
/// generated TensorBoard protobuf classes TorchSharp ships, and files of TorchSharp's own
/// SummaryWriter read back through <see cref="EventFileReader"/>.
/// </summary>
public sealed class EventFileCompatibilityTests : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "alrs-tbcompat-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    /// <summary>The event payloads of a TFRecord file, without checking anything.</summary>
    static List<byte[]> Payloads(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var payloads = new List<byte[]>();
        for (var position = 0; position < bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(position));
            payloads.Add(bytes[(position + 12)..(position + 12 + length)]);
            position += 16 + length;
        }
        return payloads;
    }

    [Fact]
    public void Events_written_here_parse_with_the_generated_tensorboard_protobuf()
    {
        string file;
        using (var log = new TrainingLog(directory))
        {
            file = log.EventFile;
            log.LogDecision("e0", 123_456_789_012, 0.002, 0.5, 0.75);
        }

        var events = Payloads(file).Select(p => Tensorboard.Event.Parser.ParseFrom(p)).ToList();

        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(123_456_789_012, events[1].Step);
        Assert.Equal(["env/e0/learning_rate", "env/e0/train_loss", "env/e0/val_loss"], events[1].Summary.Value.Select(v => v.Tag));
        Assert.Equal([0.002f, 0.5f, 0.75f], events[1].Summary.Value.Select(v => v.SimpleValue));
        Assert.InRange(events[1].WallTime, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
    }

    [Fact]
    public void Files_of_torchsharps_summary_writer_read_back_with_valid_checksums()
    {
        TorchRuntime.EnsureLoadable();
        var writer = torch.utils.tensorboard.SummaryWriter(directory);
        writer.add_scalar("losses/value_loss", 0.25f, 17);
        var file = Directory.GetFiles(directory, "events.out.tfevents.*").Single();

        var events = EventFileReader.Read(file);

        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(17, events[1].Step);
        Assert.Equal([new ScalarValue("losses/value_loss", 0.25f)], events[1].Values);
    }
}
