import DealCLI

DealregCommand.main()
