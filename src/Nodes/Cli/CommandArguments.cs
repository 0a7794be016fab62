using Alrs.Learning;

namespace Alrs.Nodes.Cli;

/// <summary>
/// Parsed arguments of one command: positional words and <c>--name value</c> /
/// <c>--name=value</c> options. Switches (options without a value) are declared by the
/// command. Every option must be one the command knows, so typos fail loudly.
/// </summary>
public sealed class CommandArguments
{
    readonly Dictionary<string, string> _options;

    CommandArguments(List<string> positional, Dictionary<string, string> options)
    {
        Positional = positional;
        _options = options;
    }

    public IReadOnlyList<string> Positional { get; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="UsageException"/> for unknown options.</summary>
    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string>? switches = null)
    {
        switches ??= [];
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                positional.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=');
            var name = equals > 0 ? arg[2..equals] : arg[2..];
            if (switches.Contains(name))
            {
                if (equals > 0) throw new UsageException($"option --{name} takes no value");
                options[name] = "true";
            }
            else if (valueOptions.Contains(name))
            {
                string value;
                if (equals > 0) value = arg[(equals + 1)..];
                else if (i + 1 < args.Count) value = args[++i];
                else throw new UsageException($"option --{name} needs a value");
                options[name] = value;
            }
            else
            {
                var known = valueOptions.Concat(switches).Select(o => "--" + o).Order();
                throw new UsageException($"unknown option --{name} (known: {string.Join(", ", known)})");
            }
        }
        return new CommandArguments(positional, options);
    }

    public bool Has(string name) => _options.ContainsKey(name);
    public string? Get(string name) => _options.GetValueOrDefault(name);
    public string Get(string name, string fallback) => _options.GetValueOrDefault(name) ?? fallback;

    public int? GetInt(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!_options.TryGetValue(name, out var text)) return null;
        if (!int.TryParse(text, out var value)) throw new UsageException($"--{name} must be an integer, got '{text}'");
        if (value < min || value > max) throw new UsageException($"--{name} must be in [{min}, {max}], got {value}");
        return value;
    }

    public double? GetDouble(string name)
    {
        if (!_options.TryGetValue(name, out var text)) return null;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} must be a number, got '{text}'");
    }

    /// <summary>All options given, for passing on as configuration overrides.</summary>
    public IReadOnlyDictionary<string, string> Options => _options;
}

/// <summary>A malformed command line. The CLI prints it with the usage hint and exits 2.</summary>
public sealed class UsageException(string message) : InputException(message);
