<?php
declare(strict_types=1);

namespace Finframe\Elements\Block\Widget;

/**
 * <flinks-connect>: connect a bank account with Flinks Connect.
 */
class FlinksConnect extends AbstractElement
{
    protected const TAG = 'flinks-connect';
    protected const CONFIG_GROUP = 'flinks';
    protected const SUCCESS = 'connected';
    protected const DEFAULT_NAME = 'bank';

    public function isModal(): bool
    {
        return $this->flag('modal', false);
    }

    protected function providerAttributes(): array
    {
        return [
            'instance' => $this->param('instance') ?? $this->config('instance'),
            'demo' => $this->flag('demo', false),
            'modal' => $this->isModal(),
            'session-url' => $this->sessionUrl(),
        ];
    }
}
