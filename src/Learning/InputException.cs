namespace Alrs.Learning;

/// <summary>
/// Bad input from the user: configuration, command-line values, data files, run
/// directories, checkpoints. The CLI prints the message on one line and exits 2.
/// Messages name the thing that is wrong and what is wrong with it.
/// </summary>
public class InputException(string message, Exception? inner = null) : Exception(message, inner);
